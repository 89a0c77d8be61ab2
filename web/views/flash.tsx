import type { Flash } from '../flash.ts';
import type { Translate } from '../i18n/index.ts';

/**
 * The top of every page's main content: the message of the last action, if any, focused on arrival
 * (autofocus: the browser does it on load, htmx after a swap) and announced. `oob` when an htmx response
 * replaces it out of band.
 */
export function FlashRegion({ flash, t, oob }: { flash: Flash | null; t: Translate; oob?: boolean }) {
  return (
    <div id="flash" class="flash-region" {...(oob ? { 'hx-swap-oob': 'true' } : {})}>
      {flash && (
        <div class="flash" role="alert" tabindex={-1} autofocus>
          <p class="flash-message">{t(flash.key, flash.params)}</p>
        </div>
      )}
    </div>
  );
}
