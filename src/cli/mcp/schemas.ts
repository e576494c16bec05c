import { z } from 'zod';
import { DEFAULT_MAX_BYTES } from './toolOutput';

/** Input of the tools that talk to a live process: its inspector, or its pid. */
export const targetInput = {
  target: z
    .string()
    .optional()
    .describe('The inspector of a process started with --inspect: ws://host:port/id, host:port or a port'),
  pid: z
    .number()
    .int()
    .positive()
    .optional()
    .describe('Instead of target: the pid of a local process whose inspector is open'),
};

/** Input of the tools whose results are paged. */
export const pagingInput = {
  cursor: z.string().optional().describe('nextCursor of a previous call: returns the next page of that result'),
  maxBytes: z
    .number()
    .int()
    .min(1000)
    .max(1_000_000)
    .default(DEFAULT_MAX_BYTES)
    .describe(`Upper bound of the text returned, in bytes (default ${DEFAULT_MAX_BYTES})`),
};

/** An output schema naming the fields clients can rely on; the CLI's JSON may carry more (additional properties). */
export function outputFields<T extends z.ZodRawShape>(shape: T) {
  return z.object(shape).passthrough();
}
