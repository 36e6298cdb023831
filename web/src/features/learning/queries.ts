// The learning feature's reads, in one place: its query keys, the hooks that load paths, steps,
// sessions and homes, and what to mark as changed after a write (so no screen spells a key).
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api, type Schemas } from '../../shared/api/client';

export const learningKeys = {
  paths: ['learning-paths'] as const,
  anyPath: ['learning-path'] as const,
  path: (id: string) => ['learning-path', id] as const,
  stepItems: (stepId: string) => ['step-items', stepId] as const,
  progress: (pathId: string) => ['path-progress', pathId] as const,
  preview: (pathId: string) => ['path-preview', pathId] as const,
  memorySettings: (url: string) => ['memory-settings', url] as const,
  myLearning: ['my-learning'] as const,
  myPath: (id: string) => ['my-path', id] as const,
  session: (id: string) => ['session', id] as const,
  teaching: ['my-teaching'] as const,
};

/** The paths the signed-in teacher (or admin) may see. */
export function usePaths() {
  return useQuery({ queryKey: learningKeys.paths, queryFn: () => api<{ items: Schemas['LearningPath'][] }>('GET', '/api/v1/learning-paths') });
}

/** One path with its steps, as its teachers see it. */
export function usePath(id: string) {
  return useQuery({ queryKey: learningKeys.path(id), queryFn: () => api<Schemas['LearningPath']>('GET', `/api/v1/learning-paths/${id}`) });
}

/** A step's items, validated or not (the teacher's view). */
export function useStepItems(stepId: string) {
  return useQuery({
    queryKey: learningKeys.stepItems(stepId),
    queryFn: () => api<{ items: Schemas['Item'][] }>('GET', `/api/v1/steps/${stepId}/items`),
  });
}

/** The students of a path: their progress and due load, and the class forecast. */
export function usePathProgress(pathId: string) {
  return useQuery({
    queryKey: learningKeys.progress(pathId),
    queryFn: () => api<Schemas['PathProgress']>('GET', `/api/v1/learning-paths/${pathId}/progress`),
  });
}

/** A path as its students would see it. */
export function usePathPreview(pathId: string) {
  return useQuery({
    queryKey: learningKeys.preview(pathId),
    queryFn: () => api<Schemas['PathPreview']>('GET', `/api/v1/learning-paths/${pathId}/preview`),
  });
}

/** Memory settings at one level (the teacher's, a subject's). */
export function useSettingsAt<T>(url: string) {
  return useQuery({ queryKey: learningKeys.memorySettings(url), queryFn: () => api<T>('GET', url) });
}

/** The student's home: what is due today, streak, forecast. */
export function useMyLearning() {
  return useQuery({ queryKey: learningKeys.myLearning, queryFn: () => api<Schemas['StudentHome']>('GET', '/api/v1/me/learning') });
}

/** One path as the student sees it: steps locked or open, due cards. */
export function useMyPath(id: string) {
  return useQuery({ queryKey: learningKeys.myPath(id), queryFn: () => api<Schemas['StudentPath']>('GET', `/api/v1/me/learning-paths/${id}`) });
}

/** A revision session. */
export function useRevisionSession(id: string) {
  return useQuery({ queryKey: learningKeys.session(id), queryFn: () => api<Schemas['RevisionSession']>('GET', `/api/v1/revision-sessions/${id}`) });
}

/** A teacher's day. */
export function useTeachingToday() {
  return useQuery({ queryKey: learningKeys.teaching, queryFn: () => api<Schemas['TeachingToday']>('GET', '/api/v1/me/teaching') });
}

/** Marks what a write changed: the screens showing it load again. */
export function useLearningChanged() {
  const queryClient = useQueryClient();
  const invalidate = (queryKey: readonly unknown[]) => queryClient.invalidateQueries({ queryKey });
  return {
    paths: () => invalidate(learningKeys.paths),
    // A path's content (its steps' counts, its status); without an id, every path open.
    path: (id?: string) => invalidate(id ? learningKeys.path(id) : learningKeys.anyPath),
    stepItems: (stepId: string) => invalidate(learningKeys.stepItems(stepId)),
    preview: (pathId: string) => invalidate(learningKeys.preview(pathId)),
    memorySettings: (url: string) => invalidate(learningKeys.memorySettings(url)),
    myLearning: () => invalidate(learningKeys.myLearning),
    myPath: (id: string) => invalidate(learningKeys.myPath(id)),
  };
}
