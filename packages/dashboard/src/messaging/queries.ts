import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useRef } from 'react';
import { useDebounced } from '../audience/useDebounced.ts';
import { previewSource, type TemplatePreview, type TemplateSource } from './api.ts';
import { PREVIEW_DEBOUNCE_MS } from './keys.ts';

/**
 * The live preview of an unsaved source: asked once typing pauses; the last good render stays
 * on screen while the next is on its way or when the source stops compiling.
 */
export function useLivePreview(ws: string, draft: TemplateSource, pricePerPart?: number) {
  // Only the source: the preview takes no name (and refuses fields it does not know).
  const { channel, subject, body, dir, lang, settings } = draft;
  const source: TemplateSource = { channel, subject, body, dir, lang, settings };
  // Debounced as text: a string is equal to itself across renders, an object is not.
  const now = JSON.stringify({ source, pricePerPart });
  const settledText = useDebounced(now, PREVIEW_DEBOUNCE_MS);
  const settled = JSON.parse(settledText) as { source: TemplateSource; pricePerPart?: number };
  const query = useQuery({
    queryKey: ['templatePreview', ws, settledText],
    queryFn: () => previewSource(ws, settled.source, settled.pricePerPart),
    enabled: settled.source.body.trim() !== '',
    placeholderData: keepPreviousData,
    retry: false,
    staleTime: Number.POSITIVE_INFINITY,
  });
  const lastGood = useRef<TemplatePreview | undefined>(undefined);
  if (query.data) lastGood.current = query.data;
  return {
    preview: lastGood.current,
    error: query.error,
    updating: now !== settledText || query.isFetching,
  };
}
