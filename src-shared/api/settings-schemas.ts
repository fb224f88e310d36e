// The user's settings, persisted in the node (settings table) so every client sees the same.
import { z } from 'zod';
import { Ticker } from './schemas.ts';

export const FeePreference = z.enum(['economy', 'normal', 'priority']);

export const Settings = z.object({
  /** Confirmations required before trusting the counterparty's lock, per coin (the risk setting). */
  confirmations: z.record(Ticker, z.number().int().min(1).max(100)),
  feePreference: FeePreference,
  theme: z.enum(['dark', 'light']),
  numberFormat: z.object({
    groupSeparator: z.enum([',', '.', ' ', '\u202f', '']),
    decimalSeparator: z.enum(['.', ',']),
  }),
  notifications: z.object({ muted: z.boolean() }),
});
export type Settings = z.infer<typeof Settings>;

export const SettingsPatch = z
  .object({
    confirmations: z.record(Ticker, z.number().int().min(1).max(100)).optional(),
    feePreference: FeePreference.optional(),
    theme: z.enum(['dark', 'light']).optional(),
    numberFormat: z
      .object({
        groupSeparator: z.enum([',', '.', ' ', '\u202f', '']),
        decimalSeparator: z.enum(['.', ',']),
      })
      .strict()
      .refine((f) => f.groupSeparator !== f.decimalSeparator, 'group and decimal separators must differ')
      .optional(),
    notifications: z.object({ muted: z.boolean() }).strict().optional(),
  })
  .strict();
export type SettingsPatch = z.infer<typeof SettingsPatch>;
