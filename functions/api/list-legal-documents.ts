// Placeholder: replaced by the real handler in this change.
export const handler = async (): Promise<never> => {
  throw new Error('not implemented');
};
