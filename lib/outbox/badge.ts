/** The toolbar badge: how many reports wait to be delivered. */
import { browser } from 'wxt/browser';

/** Shows how many reports wait on the toolbar button; red when one needs the user. */
export function showWaitingCount(waiting: number, needsAttention: boolean): void {
  void browser.action.setBadgeText({ text: waiting > 0 ? String(waiting) : '' });
  void browser.action.setBadgeBackgroundColor({ color: needsAttention ? '#c62828' : '#4f46e5' });
}
