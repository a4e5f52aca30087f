import { modifier } from 'ember-modifier';

/** Moves focus to the element when it appears (used for error summaries and new headings). */
export const focusOnInsert = modifier((element: HTMLElement) => {
  element.focus({ preventScroll: false });
});
