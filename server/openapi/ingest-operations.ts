/** The ingest API in the OpenAPI document (api-contract.md section 1): public, by client id and allowed origins. */
import {
  REPLAY_ERRORS,
  REPLAY_MAX_BYTES,
  SCREENSHOT_MAX_BYTES,
  WIRE_ERRORS,
  feedbackFieldsSchema,
  feedbackSuccessSchema,
  replaySuccessSchema,
  screenshotSuccessSchema,
} from '../../lib/api/schemas.ts';
import { SERVER_ERRORS } from '../constants.ts';
import { json, named, operation, refusal, type AnswerSpec, type JsonSchema, type OperationSpec } from './build.ts';

const anyone = operation('public');

const MB = 1024 * 1024;

// What every ingest route may answer besides its own refusals.
const INGEST_ANSWERS: Record<number, AnswerSpec> = {
  403: refusal(WIRE_ERRORS.domainNotAllowed, ": the client has an allowlist and the request's origin (for the extension's worker: `pageUrl`'s) is not on it"),
  429: { ...refusal(SERVER_ERRORS.tooManyRequests, ': over a rate limit of the address or the client'), headers: ['Retry-After'] },
};

const uploadForm = (fileField: string, file: string): JsonSchema => ({
  type: 'object',
  required: [fileField, 'clientId'],
  properties: {
    [fileField]: { description: file },
    clientId: { type: 'string', description: 'The project (`client_…`)' },
    pageUrl: { type: 'string', description: "The page's address: the allowlist checks its origin when the request comes from the extension's worker" },
  },
});

// The refusals both upload routes share, as upload-intake.ts and upload-form.ts answer them.
const uploadAnswers = (errors: string[], failed: string): Record<number, AnswerSpec> => ({
  ...INGEST_ANSWERS,
  400: { description: [...errors, WIRE_ERRORS.clientIdRequired, SERVER_ERRORS.tooManyParts, SERVER_ERRORS.fieldTooLong, SERVER_ERRORS.invalidIdempotencyKey].map((e) => `\`${e}\``).join(' · '), body: 'error' },
  404: refusal(WIRE_ERRORS.invalidClientId),
  408: refusal(SERVER_ERRORS.uploadStalled, ': nothing arrived for 30 s'),
  500: refusal(failed, ': safe to retry'),
  503: { ...refusal(SERVER_ERRORS.uploadBusy), headers: ['Retry-After'] },
});

/** POST /api/feedback, /api/screenshots and /api/replays. */
export const INGEST_OPERATIONS: OperationSpec[] = [
  anyone('POST /api/feedback', 'submitFeedback', 'Ingest', 'Create one feedback item', {
    description:
      'Every submission needs a `rating`, a non-empty `comment`, or both. `screenshots` are objects exactly as `POST /api/screenshots` answered them for the same client; `metadata` is at most 10 KB serialized; `pageUrl` is the `Referer` header when absent. Unknown fields are ignored.',
    idempotent: true,
    body: json('FeedbackSubmission', feedbackFieldsSchema),
    answers: {
      ...INGEST_ANSWERS,
      200: { description: 'Stored (or the first answer again, for a retry with the same Idempotency-Key)', body: named('FeedbackCreated', feedbackSuccessSchema), headers: ['Idempotent-Replayed'] },
      400: {
        description: `\`${WIRE_ERRORS.invalidData}\` with \`issues\` (one key per failing field, an unknown client under \`clientId\`, a body that is not a JSON object under \`body\`); or \`${WIRE_ERRORS.metadataTooLarge}\`, \`${SERVER_ERRORS.invalidIdempotencyKey}\``,
        body: 'errorOrInvalid',
      },
      413: refusal(SERVER_ERRORS.payloadTooLarge),
      500: refusal(WIRE_ERRORS.internal, ': safe to retry'),
    },
  }),
  anyone('POST /api/screenshots', 'uploadScreenshot', 'Ingest', 'Upload one screenshot', {
    description: 'Step one of attaching an image: put the returned `screenshot` into the `screenshots` of the feedback. The bytes must be a PNG, JPEG, GIF or WebP image.',
    idempotent: true,
    body: { multipart: uploadForm('screenshot', `The image, at most ${SCREENSHOT_MAX_BYTES / MB} MB`), fileTypes: { screenshot: 'image/*' } },
    answers: {
      200: { description: 'Stored', body: named('ScreenshotUploaded', screenshotSuccessSchema), headers: ['Idempotent-Replayed'] },
      ...uploadAnswers([WIRE_ERRORS.screenshotRequired, WIRE_ERRORS.notImage, WIRE_ERRORS.fileTooLarge], WIRE_ERRORS.uploadFailed),
    },
  }),
  anyone('POST /api/replays', 'uploadReplay', 'Ingest', 'Upload one session replay', {
    description: "The gzip of a JSON array of rrweb events, starting with a Meta and a FullSnapshot event. Put the returned `replay.id` into the feedback's `sessionReplayId`.",
    idempotent: true,
    body: { multipart: uploadForm('replay', `The gzip file, at most ${REPLAY_MAX_BYTES / MB} MB`), fileTypes: { replay: 'application/gzip' } },
    answers: {
      200: { description: 'Stored', body: named('ReplayUploaded', replaySuccessSchema), headers: ['Idempotent-Replayed'] },
      ...uploadAnswers(
        Object.entries(REPLAY_ERRORS).flatMap(([key, error]) => (key === 'uploadFailed' ? [] : [error])),
        REPLAY_ERRORS.uploadFailed,
      ),
    },
  }),
];
