/**
 * How a page fits a phone: how far it scrolls sideways, and visible text drawn under 12 px
 * (SVG text as scaled with its drawing). The phone tests allow neither.
 */
import type { Page } from 'playwright-core';

export async function phoneFit(page: Page): Promise<{ overflow: number; small: string[] }> {
  return page.evaluate(() => {
    const root = document.documentElement;
    const small: string[] = [];
    const visible = (el: Element) => {
      const r = el.getBoundingClientRect();
      return r.width > 0 && r.height > 0 && getComputedStyle(el).visibility !== 'hidden';
    };
    // Every element holding text of its own: its font size as drawn (SVG text scaled with its drawing).
    for (const el of Array.from(document.querySelectorAll('body *'))) {
      const own = Array.from(el.childNodes).some((n) => n.nodeType === 3 && n.textContent!.trim() !== '');
      if (!own || !visible(el) || el.closest('.visually-hidden, .skip')) continue;
      let size = Number.parseFloat(getComputedStyle(el).fontSize);
      const svg = (el as SVGElement).ownerSVGElement;
      if (svg) size *= svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
      if (size < 11.95)
        small.push(
          `${el.tagName.toLowerCase()}.${el.getAttribute('class') ?? ''} ${size.toFixed(1)}px "${el.textContent!.trim().slice(0, 30)}"`,
        );
    }
    return { overflow: root.scrollWidth - root.clientWidth, small: small.slice(0, 5) };
  });
}
