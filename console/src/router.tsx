/** A tiny history router: the server answers every console path with index.html (SPA fallback). */
import { useEffect, useState, type AnchorHTMLAttributes, type FormEvent, type MouseEvent } from 'react';

const CHANGE = 'shopflow:navigate';

export function navigate(to: string, options: { replace?: boolean } = {}) {
  if (options.replace) history.replaceState(null, '', to);
  else history.pushState(null, '', to);
  window.dispatchEvent(new Event(CHANGE));
}

export function usePath(): string {
  const [path, setPath] = useState(location.pathname + location.search);
  useEffect(() => {
    const update = () => setPath(location.pathname + location.search);
    window.addEventListener('popstate', update);
    window.addEventListener(CHANGE, update);
    return () => {
      window.removeEventListener('popstate', update);
      window.removeEventListener(CHANGE, update);
    };
  }, []);
  return path;
}

/** An ordinary link (opens in a new tab with Ctrl/middle click) that navigates in place otherwise. */
export function Link({ href, onClick, ...rest }: AnchorHTMLAttributes<HTMLAnchorElement> & { href: string }) {
  const click = (e: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(e);
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(href);
  };
  return <a href={href} onClick={click} {...rest} />;
}

/** Submit handler of a small "open order by id" form (an input named `orderId`). */
export function useOrderJump() {
  return (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const id = new FormData(e.currentTarget).get('orderId');
    if (typeof id === 'string' && id.trim()) navigate(`/orders/${encodeURIComponent(id.trim())}`);
  };
}
