import { describe, expect, it } from 'vitest';
import { accentVariables } from '@/lib/panel/accent';

describe('the accent colour', () => {
  it('overrides the theme with readable text on it: white on dark colours, near-black on light ones', () => {
    expect(accentVariables('#1d4ed8')).toEqual({ '--accent': '#1d4ed8', '--accent-fg': '#ffffff' });
    expect(accentVariables('#facc15')).toEqual({ '--accent': '#facc15', '--accent-fg': '#0f1014' });
    expect(accentVariables('#ffffff')['--accent-fg']).toBe('#0f1014');
    expect(accentVariables('#000000')['--accent-fg']).toBe('#ffffff');
  });

  it("keeps the theme's own accent (light and dark) when none is set or the value is not a colour", () => {
    expect(accentVariables('')).toEqual({});
    expect(accentVariables('red; background: url(x)')).toEqual({});
  });
});
