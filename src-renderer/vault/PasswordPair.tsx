// New-password fields (password + confirmation) with a strength hint, shared by create and restore.
import { TextField } from '../components/fields.tsx';
import { MIN_PASSWORD_LENGTH, passwordStrength, STRENGTH_TEXT } from './password.ts';

export interface PasswordPairValue {
  password: string;
  confirm: string;
}

/** Why the pair cannot be used yet, per field; empty when it can. */
export function passwordPairErrors(v: PasswordPairValue): { password?: string; confirm?: string } {
  const errors: { password?: string; confirm?: string } = {};
  if ([...v.password].length < MIN_PASSWORD_LENGTH)
    errors.password = `The password needs at least ${MIN_PASSWORD_LENGTH} characters.`;
  if (v.confirm !== v.password) errors.confirm = 'The two passwords are not the same.';
  return errors;
}

export function PasswordPair(props: {
  value: PasswordPairValue;
  onChange(v: PasswordPairValue): void;
  errors: { password?: string; confirm?: string };
  testIdPrefix: string;
}) {
  const strength = passwordStrength(props.value.password);
  return (
    <>
      <TextField
        label="Password"
        type="password"
        autoComplete="new-password"
        testId={`${props.testIdPrefix}-password`}
        value={props.value.password}
        onChange={(e) => props.onChange({ ...props.value, password: e.target.value })}
        error={props.errors.password}
        hint={
          props.errors.password ? undefined : props.value.password.length === 0 ? (
            <span>At least {MIN_PASSWORD_LENGTH} characters. It unlocks the vault on this computer only.</span>
          ) : (
            <span
              className={`strength strength-${strength}`}
              data-testid={`${props.testIdPrefix}-strength`}
              data-strength={strength}
              aria-live="polite"
            >
              {STRENGTH_TEXT[strength]}
            </span>
          )
        }
      />
      <TextField
        label="Confirm password"
        type="password"
        autoComplete="new-password"
        testId={`${props.testIdPrefix}-password-confirm`}
        value={props.value.confirm}
        onChange={(e) => props.onChange({ ...props.value, confirm: e.target.value })}
        error={props.errors.confirm}
      />
    </>
  );
}
