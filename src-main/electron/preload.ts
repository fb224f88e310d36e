// The preload: exposes exactly one object, window.hashlock (PreloadBridge), built from the
// contract's channel names. No Electron or Node object reaches the renderer.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { IPC_CHANNELS } from '../../src-shared/api/client.ts';
import type { CallOutcome, EventFrame, PreloadBridge } from '../../src-shared/api/wire.ts';

const bridge: PreloadBridge = {
  call: (method: string, params: unknown) =>
    ipcRenderer.invoke(IPC_CHANNELS.call, String(method), params) as Promise<CallOutcome>,
  onEvent(listener: (frame: EventFrame) => void) {
    const wrapped = (_e: IpcRendererEvent, frame: EventFrame) => listener(frame);
    ipcRenderer.on(IPC_CHANNELS.event, wrapped);
    return () => {
      ipcRenderer.removeListener(IPC_CHANNELS.event, wrapped);
    };
  },
};

contextBridge.exposeInMainWorld('hashlock', bridge);
