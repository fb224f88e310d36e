import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../src-shared/api/errors.ts';
import { FormError } from './AsIdentity.tsx';

describe('a form refused for want of an identity', () => {
  const refusal = new ApiError('NOT_FOUND', 'Create an identity first', { code: 'no-identity' });

  it('says to create one and links to the Identity page, instead of the error', () => {
    const html = renderToStaticMarkup(<FormError error={refusal.toData()} title="Not created." noted={false} />);
    expect(html).toContain('data-testid="cm-no-identity"');
    expect(html).toContain('href="#/identity/new"');
    expect(html).not.toContain('Not created.');
  });

  it('shows nothing more when the note is on screen already, and other errors as errors', () => {
    expect(renderToStaticMarkup(<FormError error={refusal} title="Not created." noted />)).toBe('');
    const other = renderToStaticMarkup(
      <FormError error={new ApiError('CONFLICT', 'invite-used')} title="That link could not be used." noted={false} />,
    );
    expect(other).toContain('That link could not be used.');
    expect(other).not.toContain('cm-no-identity');
  });
});
