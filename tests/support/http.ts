/** Tiny fetch helpers for the local API in tests. */
import { inject } from 'vitest';

export interface ApiResponse<T = unknown> {
  status: number;
  headers: Headers;
  /** Parsed JSON, or undefined when the body is empty or not JSON. */
  body: T;
  text: string;
}

export function apiUrl(path: string): string {
  return `${inject('localStack').apiUrl}${path}`;
}

export async function callApi<T = unknown>(
  method: string,
  path: string,
  options: { json?: unknown; body?: string; token?: string; headers?: Record<string, string> } = {},
): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.Authorization = `Bearer ${options.token}`;
  let body = options.body;
  if (options.json !== undefined) {
    body = JSON.stringify(options.json);
    headers['Content-Type'] ??= 'application/json';
  }
  const response = await fetch(apiUrl(path), { method, headers, body, signal: AbortSignal.timeout(30_000) });
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return { status: response.status, headers: response.headers, body: parsed as T, text };
}

export const getJson = <T = unknown>(path: string, token?: string): Promise<ApiResponse<T>> => callApi<T>('GET', path, { token });
export const postJson = <T = unknown>(path: string, json: unknown, options: { token?: string; headers?: Record<string, string> } = {}): Promise<ApiResponse<T>> =>
  callApi<T>('POST', path, { json, ...options });
