// The classes feature's reads, in one place: its query keys and the hooks other features use to
// list classes and subjects or to say they changed (an import, a new class, members saved).
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api, type Schemas } from '../../shared/api/client';

export const classKeys = {
  all: ['classes'] as const,
  detail: (id: string) => ['classes', id] as const,
  subjects: ['subjects'] as const,
};

/** The school's classes, as the signed-in user may see them. */
export function useClasses() {
  return useQuery({ queryKey: classKeys.all, queryFn: () => api<{ items: Schemas['Class'][] }>('GET', '/api/v1/classes') });
}

/** The school's subjects. */
export function useSubjects() {
  return useQuery({ queryKey: classKeys.subjects, queryFn: () => api<{ items: Schemas['Subject'][] }>('GET', '/api/v1/subjects') });
}

/** Marks classes (and their counts) as changed: the lists showing them load again. */
export function useClassesChanged() {
  const queryClient = useQueryClient();
  return {
    classes: () => queryClient.invalidateQueries({ queryKey: classKeys.all }),
    subjects: () => queryClient.invalidateQueries({ queryKey: classKeys.subjects }),
  };
}
