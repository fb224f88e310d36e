// Swaps: the list of this node's atomic swaps (#/swaps) with the form to start one directly
// with a peer, and one swap's detail (#/swaps/<id>).
import type { PageProps } from '../app/routes.ts';
import { PageHeader } from '../components/PageHeader.tsx';
import { useCoinFacts } from './parts.tsx';
import { StartSwapForm } from './StartSwapForm.tsx';
import { SwapDetailPage } from './SwapDetailPage.tsx';
import { SwapList } from './SwapList.tsx';

export function SwapsPage(props: PageProps) {
  const coins = useCoinFacts();
  const swapId = props.rest[0];
  if (swapId !== undefined) return <SwapDetailPage key={swapId} swapId={swapId} coins={coins} />;
  return (
    <section>
      <PageHeader
        title="Swaps"
        description="Atomic swaps with other people's nodes: each side locks coins on its own chain, and either both payments go through or both sides get their coins back. Nobody holds your funds."
      />
      <SwapList coins={coins} />
      <StartSwapForm coins={coins} />
    </section>
  );
}
