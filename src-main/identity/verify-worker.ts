// A verification worker of the pool (verify-pool.ts): verifies batches of records with the
// libsecp256k1 port (secp-verify.ts) and its own key cache, and answers with the verified records or the refusals, packed (packResults).
import { parentPort, workerData } from 'node:worker_threads';
import type { CoinParams } from '../../src-shared/coins/registry.ts';
import { chainLookup } from './chains.ts';
import { createSecpVerifier } from './secp-verify.ts';
import { packResults, verifyBatch, type VerifyJob } from './verify-pool.ts';
import { createKeyCache } from '../../src-shared/identity/verify.ts';

const chains = chainLookup((workerData as { coins: CoinParams[] }).coins);
const verifier = createSecpVerifier();
const keys = createKeyCache();

parentPort!.on('message', (msg: { id: number; jobs: VerifyJob[] }) => {
  const packed = packResults(msg.jobs, verifyBatch(msg.jobs, { verifier, keys, chains }));
  parentPort!.postMessage({ id: msg.id, packed }, [packed.keys.buffer]);
});
