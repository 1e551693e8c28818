interface ImportMetaEnv {
  /** Default server URL baked in at build time (`npm start` sets the local server). */
  readonly WXT_LOUPE_SERVER_URL?: string;
  /** Default Client ID baked in at build time (`npm start` sets the demo project). */
  readonly WXT_LOUPE_CLIENT_ID?: string;
}
