import { useQuery } from '@tanstack/react-query';
import { setCsrfToken } from '../api/client.ts';
import { getMe } from '../api/session.ts';

export const ME_KEY = ['me'] as const;

async function fetchMe() {
  const me = await getMe();
  setCsrfToken(me.csrfToken);
  return me;
}

export const useMe = () => useQuery({ queryKey: ME_KEY, queryFn: fetchMe });
