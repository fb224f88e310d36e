// The desktop app opened with a payment link: the link is found among the arguments whatever the
// OS put around it, nothing else is taken for one, and its route keeps it whole.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DESKTOP_PAYMENT_SCHEMES, payRoute, paymentUriFromArgv } from './protocol.ts';

const mainSource = readFileSync(new URL('./main.ts', import.meta.url), 'utf8');
const SIGNED =
  'bitcoin:bc1qxvenxvenxvenxvenxvenxvenxvenxven2ymjt8?amount=0.001&label=Acme%20Coffee&identity=did:is:PB7izpagndTJk9R4CAwbBCTn7kdX4SGjuP&x=a/b#c';

describe('payment links given to the desktop app', () => {
  it('finds the link among the arguments of a second instance (Windows, Linux)', () => {
    expect(paymentUriFromArgv(['/opt/Hashlock/hashlock', '--no-sandbox', SIGNED])).toBe(SIGNED);
    expect(paymentUriFromArgv(['hashlock.exe', 'LITECOIN:ltc1qxyz'])).toBe('LITECOIN:ltc1qxyz');
  });

  it('takes nothing else for a link', () => {
    expect(paymentUriFromArgv(['hashlock', '--data-dir', '/tmp/x', 'https://evil.example/'])).toBeUndefined();
    expect(paymentUriFromArgv(['hashlock', 'file:///etc/passwd'])).toBeUndefined();
    expect(paymentUriFromArgv(['bitcoin:bc1q\nrm -rf'])).toBeUndefined();
    expect(paymentUriFromArgv([`bitcoin:${'a'.repeat(9000)}`])).toBeUndefined();
  });

  it('routes to the Pay page with the link whole, slashes and all', () => {
    const route = payRoute(SIGNED);
    expect(route.startsWith('#/pay/open/')).toBe(true);
    const segment = route.slice('#/pay/open/'.length);
    // One path segment (the renderer's router splits on "/" and decodes each), no fragment inside.
    expect(segment).not.toMatch(/[/#]/);
    expect(decodeURIComponent(segment)).toBe(SIGNED);
  });

  it('registers bitcoin: and litecoin: with the OS and hands links over from argv and open-url', () => {
    expect([...DESKTOP_PAYMENT_SCHEMES]).toEqual(['bitcoin', 'litecoin']);
    expect(mainSource).toMatch(/setAsDefaultProtocolClient\(scheme\)/);
    expect(mainSource).toMatch(/'second-instance', \(_e, argv\)[\s\S]*openPayment\(paymentUriFromArgv\(argv\)\)/);
    expect(mainSource).toMatch(/'open-url', \(ev, url\)[\s\S]*openPayment\(paymentUriFromArgv\(\[url\]\)\)/);
    expect(mainSource).toMatch(/JSON\.stringify\(payRoute\(uri\)\)/);
  });
});
