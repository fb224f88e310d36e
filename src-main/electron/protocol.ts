// The desktop app as the system's handler for payment links (bitcoin:, litecoin:): which argument
// of a started instance is such a link, and the Pay page route that shows it. Pure, so the Electron
// shell's part is tested without Electron; the node reads and checks the request itself.

/** Schemes the installed app registers with the OS (the devnet's deva:/devb: are not for the OS). */
export const DESKTOP_PAYMENT_SCHEMES = ['bitcoin', 'litecoin'] as const;

const READABLE_SCHEMES = /^(bitcoin|litecoin|deva|devb):/i;
/** The parser's cap is 4096 characters; anything much longer is not a request. */
const MAX_LINK = 8192;
// eslint-disable-next-line no-control-regex -- control characters are what is refused
const CONTROL = /[\u0000-\u001f\u007f]/;

/** The payment link among a process's arguments (the OS passes it as one of them), if any. */
export function paymentUriFromArgv(argv: readonly string[]): string | undefined {
  return argv.find((a) => a.length <= MAX_LINK && READABLE_SCHEMES.test(a) && !CONTROL.test(a));
}

/** The Pay page route for a link: one path segment, percent-encoded, so nothing in it is a route. */
export function payRoute(uri: string): string {
  return `#/pay/open/${encodeURIComponent(uri)}`;
}
