import { expect } from 'vitest';
import { InputRejectedError } from '../../src/errors.js';

/** The InputRejectedError a promise must reject with (the test fails on anything else). */
export async function rejectionOf(promise: Promise<unknown>): Promise<InputRejectedError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(InputRejectedError);
  return error as InputRejectedError;
}
