/** The panel's accent colour as CSS variables, with a text colour that stays readable on it. */

// Relative luminance per WCAG 2 (https://www.w3.org/TR/WCAG21/#dfn-relative-luminance).
function luminance(hex: string): number {
  const channel = (offset: number) => {
    const value = parseInt(hex.slice(offset, offset + 2), 16) / 255;
    return value <= 0.03928 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
}

/**
 * The CSS variables that override the theme's accent for a `#rrggbb` colour ('' keeps the
 * theme's, which follows light and dark mode). Text on the accent is white or near-black,
 * whichever contrasts more: at luminance 0.179 both give the same contrast ratio.
 */
export function accentVariables(colour: string): Record<string, string> {
  if (!/^#[0-9a-f]{6}$/i.test(colour)) return {};
  return { '--accent': colour, '--accent-fg': luminance(colour) > 0.179 ? '#0f1014' : '#ffffff' };
}
