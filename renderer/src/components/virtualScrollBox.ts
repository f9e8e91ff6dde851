import { observeElementOffset, observeElementRect, type Rect, type Virtualizer } from '@tanstack/react-virtual';
import { useWindowHeight } from './drawnAhead';

/** Whether the element has no box: it, or something above it, is hidden (display: none). */
function boxless(element: Element | null): boolean {
  return element === null || element.getClientRects().length === 0;
}

/**
 * How a virtualized list reads its scroll box, so that its rows are on screen in the frame it is:
 * - Before the box is measured, it is taken as the window's height (a tall one when drawn ahead:
 *   drawnAhead.ts): the first rows are drawn in the list's own first render, not after an effect
 *   reads the box and a second render.
 * - A list kept mounted while hidden (a view or a tab left, `hidden` above it) reads as 0 × 0,
 *   scrolled to 0. Both are ignored: the list keeps the rows it had, where they were, and shown
 *   again it has them in the frame that shows it. The browser keeps the hidden box's scroll
 *   position, so they are the right rows; a list that took the 0 (the virtualizer reads the
 *   offset again once scrolling stops, even when hidden by then) drew its top rows there.
 */
export function useVirtualScrollBox() {
  const windowHeight = useWindowHeight();
  return {
    initialRect: { width: 0, height: windowHeight },
    observeElementRect: <T extends Element>(instance: Virtualizer<T, Element>, cb: (rect: Rect) => void) =>
      observeElementRect(instance, (rect) => {
        if (rect.width > 0 || rect.height > 0) cb(rect);
      }),
    observeElementOffset: <T extends Element>(
      instance: Virtualizer<T, Element>,
      cb: (offset: number, isScrolling: boolean) => void,
    ) =>
      observeElementOffset(instance, (offset, isScrolling) => {
        // Only a 0 can be a hidden box's: the box is asked (a layout read) then alone, not on every scroll.
        const kept = instance.scrollOffset ?? 0;
        cb(offset === 0 && kept !== 0 && boxless(instance.scrollElement) ? kept : offset, isScrolling);
      }),
  };
}
