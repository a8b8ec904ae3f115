/**
 * The scroll island: on a narrow screen a wide table scrolls in its own box (the stylesheet's
 * phone rules); a box that scrolls is made reachable by keyboard (tabindex 0, named by its
 * caption), so it can be scrolled with the arrow keys. Redone when the screen turns.
 */
function mark() {
  for (const table of document.querySelectorAll<HTMLTableElement>('main table')) {
    const scrolls = table.scrollWidth > table.clientWidth + 1;
    if (scrolls && !table.hasAttribute('tabindex')) {
      table.tabIndex = 0;
      table.dataset.scrollBox = '';
    } else if (!scrolls && table.dataset.scrollBox !== undefined) {
      table.removeAttribute('tabindex');
      delete table.dataset.scrollBox;
    }
  }
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', mark);
else mark();
window.addEventListener('resize', mark);
