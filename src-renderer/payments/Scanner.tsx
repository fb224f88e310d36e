// Reads a payment request from the webcam, where there is one: frames are decoded a few times a
// second until a QR code is found, and the camera is released as soon as the scanner closes.
import { useEffect, useRef, useState } from 'react';
import { decodeQr } from './qr.ts';
import { pixelsOf } from './read-image.ts';

const SCAN_EVERY_MS = 300;

export function cameraAvailable(): boolean {
  return typeof navigator !== 'undefined' && typeof navigator.mediaDevices?.getUserMedia === 'function';
}

export function Scanner(props: { onText: (text: string) => void; onClose: () => void }) {
  const video = useRef<HTMLVideoElement>(null);
  const [error, setError] = useState<string | null>(null);
  const { onText } = props;

  useEffect(() => {
    let stream: MediaStream | undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    const scan = async () => {
      const v = video.current;
      if (stopped || !v) return;
      if (v.readyState >= 2 && v.videoWidth > 0) {
        const text = await decodeQr(pixelsOf(v, v.videoWidth, v.videoHeight));
        if (text !== undefined && !stopped) {
          onText(text);
          return;
        }
      }
      timer = setTimeout(() => void scan(), SCAN_EVERY_MS);
    };
    navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' }, audio: false }).then(
      (s) => {
        stream = s;
        if (stopped) return s.getTracks().forEach((t) => t.stop());
        if (video.current) {
          video.current.srcObject = s;
          void video.current.play().catch(() => undefined);
        }
        void scan();
      },
      (err: unknown) =>
        setError(
          err instanceof DOMException && err.name === 'NotAllowedError'
            ? 'The camera was not allowed. Allow it for this app, or choose a picture of the code instead.'
            : 'No camera could be opened. Choose a picture of the code instead.',
        ),
    );
    return () => {
      stopped = true;
      clearTimeout(timer);
      stream?.getTracks().forEach((t) => t.stop());
    };
  }, [onText]);

  return (
    <div className="scanner stack" data-testid="pay-scanner">
      {error ? (
        <p className="note note-error" role="alert" data-testid="pay-scanner-error">
          {error}
        </p>
      ) : (
        <video ref={video} muted playsInline aria-label="Camera: hold the payment QR code in front of it" />
      )}
      <div className="actions start">
        <button type="button" className="btn" onClick={props.onClose} data-testid="pay-scanner-close">
          Stop the camera
        </button>
      </div>
    </div>
  );
}
