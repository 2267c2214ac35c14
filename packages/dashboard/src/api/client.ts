import type { ErrorBody, ErrorCode } from './types.ts';

/** A failed request: the API's error body, or `network` when the server could not be reached. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode | 'network' | 'unknown',
    message: string,
    readonly field?: string,
    /** 1-based position of the fault in the text of `field` (a template's body or subject). */
    readonly position?: { line: number; column: number },
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

interface ClientState {
  csrfToken: string | null;
  locale: string;
  onUnauthorized: () => void;
}

const state: ClientState = { csrfToken: null, locale: 'ar', onUnauthorized: () => {} };

/** Setup, login and GET /api/me hand out the token every cookie-authenticated write must echo. */
export const setCsrfToken = (token: string | null) => {
  state.csrfToken = token;
};
export const hasCsrfToken = () => state.csrfToken !== null;
export const setRequestLocale = (locale: string) => {
  state.locale = locale;
};
export const setUnauthorizedHandler = (handler: () => void) => {
  state.onUnauthorized = handler;
};

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** A body sent as it is, such as a CSV file, instead of as JSON. */
export class RawBody {
  constructor(
    readonly body: BodyInit,
    readonly contentType: string,
  ) {}
}

export async function request<T>(method: Method, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', 'accept-language': state.locale };
  if (body !== undefined)
    headers['content-type'] = body instanceof RawBody ? body.contentType : 'application/json';
  if (method !== 'GET' && state.csrfToken) headers['x-csrf-token'] = state.csrfToken;
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined ? undefined : body instanceof RawBody ? body.body : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'network', 'network');
  }
  if (response.status === 401) state.onUnauthorized();
  if (!response.ok) throw await toApiError(response);
  if (response.status === 204) return undefined as T;
  // A 202 may say what was started (an import, an audit) or nothing at all.
  const text = await response.text();
  return (text === '' ? undefined : JSON.parse(text)) as T;
}

async function toApiError(response: Response): Promise<ApiError> {
  try {
    const { error } = (await response.json()) as ErrorBody;
    const position = error.line === undefined ? undefined : { line: error.line, column: error.column ?? 1 };
    return new ApiError(response.status, error.code, error.message, error.field, position);
  } catch {
    return new ApiError(response.status, 'unknown', response.statusText);
  }
}

/** Encodes one path segment (ids are UUIDs, but never trust a string into a URL). */
export const seg = (value: string) => encodeURIComponent(value);
