// Starting (or resuming) a review on a step, then opening the revision screen. When nothing is due
// the server says so (409) and offers practice: the message is kept for the screen to show.
import { useState } from 'react';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { api, type Schemas } from '../../shared/api/client';
import { errorMessage } from '../../shared/ui/states';

export function useStartSession() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [error, setError] = useState<string | null>(null);
  const start = useMutation({
    mutationFn: ({ step, mode }: { step: string; mode: 'review' | 'practice' }) =>
      api<Schemas['RevisionSession']>('POST', '/api/v1/revision-sessions', { step_id: step, mode }),
    onSuccess: (session) => {
      setError(null);
      navigate(`/learning/sessions/${session.id}`);
    },
    onError: (caught) => setError(errorMessage(caught, t)),
  });
  return {
    mutate: (step: string, mode: 'review' | 'practice' = 'review') => start.mutate({ step, mode }),
    isPending: start.isPending,
    error,
  };
}
