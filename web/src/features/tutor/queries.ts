// The tutor feature's reads: a path's sources, its tutor's status and archive, a teacher's agent,
// a step's generated cards, one passage; and what to mark as changed after a write.
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api, query, type Schemas } from '../../shared/api/client';

export type Source = Schemas['AiSource'];
export type Agent = Schemas['AiAgent'];
export type AgentChange = Schemas['AiAgentChange'];
export type TutorReply = Schemas['AiTutorReply'];
export type TutorStatus = Schemas['AiTutorStatus'];
export type Conversation = Schemas['AiConversation'];
export type TutorMessage = Schemas['AiTutorMessage'];
export type Passage = Schemas['AiPassage'];
export type Citation = Schemas['AiCitation'];

export interface GeneratedOrigin {
  item_id?: string;
  source_id?: string;
  source_name?: string;
  passage_id?: string;
  heading?: string;
  page?: number | null;
  passage?: string;
}

export const tutorKeys = {
  sources: (pathId: string) => ['ai-sources', pathId] as const,
  agent: (subjectId: string) => ['ai-agent', subjectId] as const,
  status: (pathId: string) => ['ai-tutor-status', pathId] as const,
  conversations: (pathId: string, studentId?: string) => ['ai-conversations', pathId, studentId ?? ''] as const,
  anyConversations: (pathId: string) => ['ai-conversations', pathId] as const,
  generated: (stepId: string) => ['ai-generated', stepId] as const,
  passage: (pathId: string, passageId: string) => ['ai-passage', pathId, passageId] as const,
};

/** A path's sources; read again every 2 s while one is still being indexed. */
export function useSources(pathId: string) {
  return useQuery({
    queryKey: tutorKeys.sources(pathId),
    queryFn: () => api<{ items: Source[] }>('GET', `/api/v1/learning-paths/${pathId}/sources`),
    refetchInterval: (q) => (q.state.data?.items.some((s) => s.status === 'pending') ? 2000 : false),
  });
}

/** The signed-in teacher's agent for a subject (its defaults until changed). */
export function useAgent(subjectId: string) {
  return useQuery({ queryKey: tutorKeys.agent(subjectId), queryFn: () => api<Agent>('GET', `/api/v1/agents/${subjectId}`) });
}

/** What the path's tutor offers before a question: documents, policy, questions left. */
export function useTutorStatus(pathId: string) {
  return useQuery({ queryKey: tutorKeys.status(pathId), queryFn: () => api<TutorStatus>('GET', `/api/v1/learning-paths/${pathId}/tutor`) });
}

/** The archived exchanges on a path (a student's own, or every student's for the teacher). */
export function useConversations(pathId: string, studentId?: string) {
  return useQuery({
    queryKey: tutorKeys.conversations(pathId, studentId),
    queryFn: () => api<{ items: Conversation[] }>('GET', `/api/v1/learning-paths/${pathId}/tutor-conversations${query({ student_id: studentId })}`),
  });
}

/** Where a step's generated cards came from. */
export function useGenerated(stepId: string, enabled = true) {
  return useQuery({
    queryKey: tutorKeys.generated(stepId),
    queryFn: () => api<{ items: GeneratedOrigin[] }>('GET', `/api/v1/steps/${stepId}/generated`),
    enabled,
  });
}

/** One passage, as a citation opens it. */
export function usePassage(pathId: string, passageId: string | null) {
  return useQuery({
    queryKey: tutorKeys.passage(pathId, passageId ?? ''),
    queryFn: () => api<Passage>('GET', `/api/v1/learning-paths/${pathId}/passages/${passageId}`),
    enabled: !!passageId,
    staleTime: Infinity,
  });
}

export function useTutorChanged() {
  const queryClient = useQueryClient();
  const invalidate = (queryKey: readonly unknown[]) => queryClient.invalidateQueries({ queryKey });
  return {
    sources: (pathId: string) => invalidate(tutorKeys.sources(pathId)),
    agent: (subjectId: string) => invalidate(tutorKeys.agent(subjectId)),
    status: (pathId: string) => invalidate(tutorKeys.status(pathId)),
    conversations: (pathId: string) => invalidate(tutorKeys.anyConversations(pathId)),
    generated: (stepId: string) => invalidate(tutorKeys.generated(stepId)),
  };
}
