// The Pay tab: a request comes in (pasted, a QR picture chosen or dropped, the camera, or a
// bitcoin:/litecoin: link the app was opened with), the node reads it and decides the merchant
// card, and the user pays it once from the connected wallet.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useState, type DragEvent } from 'react';
import { useApi } from '../api/ApiProvider.tsx';
import { ErrorNote } from '../components/ErrorNote.tsx';
import { TextArea } from '../components/fields.tsx';
import { PayDetails } from './PayDetails.tsx';
import { paymentKeys, paymentQueries } from './queries.ts';
import { readQrFile } from './read-image.ts';
import { cameraAvailable, Scanner } from './Scanner.tsx';

/** The request being read: the text typed, the URI handed to the node and its reading, and where it came from. */
function useRequestInput(initialUri: string | undefined) {
  const [text, setText] = useState(initialUri ?? '');
  const [uri, setUri] = useState<string | null>(initialUri?.trim() || null);
  const [imageError, setImageError] = useState<string | null>(null);
  const [scanning, setScanning] = useState(false);
  const [over, setOver] = useState(false);
  const api = useApi();
  const parsed = useQuery({ ...paymentQueries(api).parse(uri ?? ''), enabled: uri !== null });

  useEffect(() => {
    if (initialUri) {
      setText(initialUri);
      setUri(initialUri.trim());
    }
  }, [initialUri]);

  const take = useCallback((found: string) => {
    setScanning(false);
    setImageError(null);
    setText(found);
    setUri(found.trim());
  }, []);

  const fromFile = async (file: File | undefined) => {
    if (!file) return;
    const r = await readQrFile(file);
    if (r.ok) take(r.text);
    else {
      setUri(null);
      setImageError(r.reason);
    }
  };
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setOver(false);
    void fromFile(e.dataTransfer.files[0]);
  };
  return { text, setText, uri, parsed, imageError, scanning, setScanning, over, setOver, take, fromFile, onDrop };
}

type RequestInput = ReturnType<typeof useRequestInput>;

export function PayTab(props: { initialUri?: string }) {
  const input = useRequestInput(props.initialUri);
  const { text, uri, parsed, imageError, take } = input;

  return (
    <div className="pay-grid">
      <div className="panel panel-pad stack">
        <h2>Payment request</h2>
        <TextArea
          label="Paste a request"
          hint="A bitcoin:, litecoin:, deva: or devb: link, as shown under a QR code."
          value={text}
          rows={4}
          spellCheck={false}
          onChange={(e) => input.setText(e.target.value)}
          testId="pay-uri"
        />
        <div className="actions start">
          <button
            type="button"
            className="btn btn-primary"
            disabled={text.trim() === ''}
            onClick={() => take(text)}
            data-testid="pay-read"
          >
            Read request
          </button>
        </div>
        <DropZone input={input} />
        {input.scanning ? <Scanner onText={take} onClose={() => input.setScanning(false)} /> : null}
        {imageError ? (
          <p className="note note-error" role="alert" data-testid="pay-image-error">
            {imageError}
          </p>
        ) : null}
        {uri && parsed.isError ? (
          <div data-testid="pay-read-error-box">
            <ErrorNote error={parsed.error} testId="pay-read-error" title="This is not a request Hashlock can pay." />
            <p className="small muted">Read: {uri.length > 200 ? `${uri.slice(0, 199)}\u2026` : uri}</p>
          </div>
        ) : null}
      </div>
      <div className="stack">
        {uri && parsed.isPending ? <p className="muted">Reading the request&hellip;</p> : null}
        {uri && parsed.data ? <PayDetails key={uri} uri={uri} parsed={parsed.data} /> : null}
      </div>
    </div>
  );
}

/** A QR picture dropped here or chosen, or the camera when there is one. */
function DropZone(props: { input: RequestInput }) {
  const { input } = props;
  return (
    <div
      className={`drop-zone${input.over ? ' over' : ''}`}
      onDragOver={(e) => {
        e.preventDefault();
        input.setOver(true);
      }}
      onDragLeave={() => input.setOver(false)}
      onDrop={input.onDrop}
      data-testid="pay-drop"
    >
      <p>Drop a picture of the QR code here, or</p>
      <div className="pay-inputs center">
        <label className="btn">
          Choose a picture&hellip;
          <input
            type="file"
            accept="image/*"
            className="sr-only"
            data-testid="pay-qr-file"
            onChange={(e) => {
              void input.fromFile(e.target.files?.[0]);
              e.target.value = '';
            }}
          />
        </label>
        {cameraAvailable() ? (
          <button type="button" className="btn" onClick={() => input.setScanning(true)} data-testid="pay-scan">
            Scan with the camera
          </button>
        ) : null}
      </div>
    </div>
  );
}

/** The node's answer to a pay: shown from the cache, which the node's events keep current. */
export function usePay(uri: string) {
  const api = useApi();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (p: { amount?: string; fee: 'economy' | 'normal' | 'priority'; acknowledged: boolean }) =>
      api.call('payments.pay', {
        uri,
        fee: p.fee,
        acknowledged: p.acknowledged,
        ...(p.amount !== undefined ? { amount: p.amount } : {}),
      }),
    onSuccess: (payment) => {
      qc.setQueryData(paymentQueries(api).payment(payment.key).queryKey, payment);
      void qc.invalidateQueries({ queryKey: paymentQueries(api).book().queryKey });
      // The next quote sees the balance after this payment.
      void qc.invalidateQueries({ queryKey: [...paymentKeys.all, 'quote'] });
    },
  });
}
