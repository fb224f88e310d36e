// Before the first answer from the node: say what is happening rather than show a blank page.
import { useConnection } from '../api/ApiProvider.tsx';
import { Logo } from '../components/icons.tsx';
import { ErrorNote } from '../components/ErrorNote.tsx';

export function Splash(props: { error?: unknown; onRetry?: () => void }) {
  const c = useConnection();
  const unreachable = !c.everOpened && c.attempt > 0;
  return (
    <div className="onboarding">
      <main className="onboarding-card splash" data-testid="splash" aria-busy={props.error ? undefined : true}>
        <div className="onboarding-brand">
          <Logo />
          <span>Hashlock</span>
        </div>
        {props.error ? (
          <>
            <h1>The node did not answer</h1>
            <ErrorNote error={props.error} />
            {props.onRetry ? (
              <div className="actions">
                <button type="button" className="btn btn-primary" onClick={props.onRetry}>
                  Try again
                </button>
              </div>
            ) : null}
          </>
        ) : unreachable ? (
          <>
            <h1>Waiting for the node</h1>
            <p className="lead">
              It is not answering yet. Check that it is running; this page keeps trying (attempt {c.attempt}).
            </p>
          </>
        ) : (
          <>
            <h1>Connecting to the node&hellip;</h1>
            <div className="progress" aria-hidden="true">
              <span />
            </div>
          </>
        )}
      </main>
    </div>
  );
}
