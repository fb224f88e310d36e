// The centred frame around every vault screen (before the main app is available).
import type { ReactNode } from 'react';
import { Logo } from '../components/icons.tsx';

export function VaultLayout(props: { title: string; children: ReactNode; wide?: boolean; testId?: string }) {
  return (
    <div className="onboarding">
      <main className={props.wide ? 'onboarding-card wide' : 'onboarding-card'} data-testid={props.testId}>
        <div className="onboarding-brand">
          <Logo />
          <span>Hashlock</span>
        </div>
        <h1>{props.title}</h1>
        {props.children}
      </main>
    </div>
  );
}
