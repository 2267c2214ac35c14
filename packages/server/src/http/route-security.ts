/** OpenAPI security requirements, by what a route accepts. */
type Requirements = Record<string, string[]>[];
export const SESSION_ONLY: Requirements = [{ session: [] }];
export const SESSION_OR_KEY: Requirements = [{ session: [] }, { apiKey: [] }];
