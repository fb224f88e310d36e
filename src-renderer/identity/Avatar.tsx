// An identity's picture wherever it is shown: an inline image from the profile, or its initials on
// a colour taken from its address. Remote (https) images are never fetched: the app's CSP allows
// only inline images, and a fetch would tell the image's host who looks at whom.
import { imageKind } from '../../src-shared/identity/profile.ts';

function hue(text: string): number {
  let h = 0;
  for (let i = 0; i < text.length; i++) h = (h * 31 + text.charCodeAt(i)) % 360;
  return h;
}

function initials(name: string | null, address: string): string {
  const source = name?.trim() || address;
  const words = source.split(/\s+/).filter(Boolean);
  const letters = words.length > 1 ? [words[0]![0], words[1]![0]] : [...source].slice(0, 2);
  return letters.join('').toUpperCase();
}

export function Avatar(props: {
  image: string | null;
  name: string | null;
  address: string;
  size?: number;
  deleted?: boolean;
  testId?: string;
}) {
  const size = props.size ?? 40;
  const inline = props.image !== null && !props.deleted && imageKind(props.image) === 'data';
  const style = { width: size, height: size, fontSize: Math.round(size * 0.4) };
  if (inline) {
    return (
      <img
        className="avatar"
        src={props.image!}
        alt=""
        width={size}
        height={size}
        style={style}
        data-testid={props.testId}
      />
    );
  }
  return (
    <span
      className="avatar avatar-initials"
      aria-hidden="true"
      style={{ ...style, background: props.deleted ? 'var(--border)' : `hsl(${hue(props.address)} 45% 42%)` }}
      data-testid={props.testId}
    >
      {props.deleted ? '×' : initials(props.name, props.address)}
    </span>
  );
}
