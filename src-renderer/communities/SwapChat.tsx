// "Chat with the counterparty" for a swap's page: a direct conversation in which both sides use
// an identity made for this swap only, opened (or started) on the Communities page.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useApi } from '../api/ApiProvider.tsx';
import { href, navigate } from '../app/routes.ts';
import { ErrorNote } from '../components/ErrorNote.tsx';
import { communityKeys } from './queries.ts';

export function SwapChatButton(props: { swapId: string }) {
  const api = useApi();
  const qc = useQueryClient();
  const open = useMutation({
    mutationFn: () => api.call('communities.swapChat', { swapId: props.swapId }),
    onSuccess: (c) => {
      void qc.invalidateQueries({ queryKey: communityKeys.list });
      navigate(href('communities', 'c', c.id));
    },
  });
  return (
    <>
      <button
        type="button"
        className="btn btn-small"
        disabled={open.isPending}
        onClick={() => open.mutate()}
        title="An encrypted conversation with the other side of this swap, under identities made for it alone."
        data-testid="swap-chat"
      >
        {open.isPending ? 'Reaching the counterparty…' : 'Chat with the counterparty'}
      </button>
      {open.isError ? <ErrorNote error={open.error} title="The chat could not be opened." /> : null}
    </>
  );
}
