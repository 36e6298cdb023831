// A video room (/rooms/:id): a device check first (camera and microphone, with clear words when
// there is none or access is denied), then a mesh of WebRTC connections, one per other tab in the
// room, negotiated over /ws (docs/communication.md, "Video rooms"). Mute, camera, screen share, leave.
import { Alert, Badge, Button, Card, Group, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { useRealtime, useRealtimeMessage } from '../../shared/realtime/realtime';
import { ErrorState, SkeletonState } from '../../shared/ui/states';
import { useAuth } from '../auth/auth';
import { dayIn, timeIn } from './format';
import { useRoom, type Room } from './queries';

type DeviceState = 'asking' | 'ready' | 'denied' | 'missing' | 'failed';
type Signal =
  | { type: 'offer' | 'answer'; sdp: string }
  | { type: 'candidate'; candidate: RTCIceCandidateInit }
  | { type: 'hello' }
  | { type: 'state'; mic: boolean; camera: boolean };

interface Peer {
  peerId: string;
  userId: string;
  name: string;
  pc: RTCPeerConnection;
  stream: MediaStream | null;
  state: RTCPeerConnectionState;
  mic: boolean;
  camera: boolean;
  /** ICE candidates that came before the other side's description: added once it is set. */
  pending: RTCIceCandidateInit[];
}

function newPeerId(): string {
  const bytes = new Uint8Array(12);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export function RoomPage() {
  const { t } = useTranslation();
  const { id } = useParams();
  const room = useRoom(id);
  const { me } = useAuth();
  const timeZone = me?.school?.timezone ?? 'UTC';
  if (room.isError) return <ErrorState error={room.error} back={{ to: '/appointments', label: t('room.backToAppointments') }} />;
  if (!room.data) return <SkeletonState rows={2} height={160} />;
  const r = room.data;
  return (
    <Stack gap="md">
      <Group justify="space-between" wrap="wrap">
        <div>
          <Title order={1} size="h2">{t('room.title')}</Title>
          <Text c="dimmed" size="sm">{r.title}</Text>
        </div>
        <Badge color={r.status === 'open' ? 'green' : 'gray'} variant="light">{t(`room.status.${r.status}`)}</Badge>
      </Group>
      {r.status === 'waiting' ? (
        <Alert color="blue" title={t('room.waitingTitle')}>
          {t('room.waiting', { time: `${dayIn(r.opens_at, timeZone)} ${timeIn(r.opens_at, timeZone)}` })}
        </Alert>
      ) : r.status === 'closed' ? (
        <Alert color="gray" title={t('room.closedTitle')}>
          <Stack gap="xs">
            <Text size="sm">{t('room.closed')}</Text>
            <Group><Button component={Link} to="/appointments" variant="default">{t('room.backToAppointments')}</Button></Group>
          </Stack>
        </Alert>
      ) : (
        <Call room={r} />
      )}
    </Stack>
  );
}

function Call({ room }: { room: Room }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { send, status, connection } = useRealtime();
  const peerId = useMemo(newPeerId, []);
  const [device, setDevice] = useState<DeviceState>('asking');
  const [local, setLocal] = useState<MediaStream | null>(null);
  const [joined, setJoined] = useState(false);
  const [mic, setMic] = useState(true);
  const [camera, setCamera] = useState(true);
  const [sharing, setSharing] = useState<MediaStreamTrack | null>(null);
  const [peers, setPeers] = useState<Peer[]>([]);
  const [error, setError] = useState<string | null>(null);
  const peersRef = useRef(new Map<string, Peer>());
  const localRef = useRef<MediaStream | null>(null);
  const stateRef = useRef({ mic: true, camera: true });
  stateRef.current = { mic, camera };

  const refresh = useCallback(() => setPeers([...peersRef.current.values()]), []);

  // The device check: camera and microphone, else the microphone alone, else nothing (one may still
  // see and hear the others).
  const askDevices = useCallback(async () => {
    setDevice('asking');
    if (!navigator.mediaDevices?.getUserMedia) {
      setDevice('failed');
      return;
    }
    try {
      const stream = await navigator.mediaDevices.getUserMedia({ video: true, audio: true });
      localRef.current = stream;
      setLocal(stream);
      setDevice('ready');
    } catch (e) {
      const name = (e as DOMException).name;
      if (name === 'NotAllowedError' || name === 'SecurityError') {
        setDevice('denied');
      } else if (name === 'NotFoundError' || name === 'OverconstrainedError') {
        try {
          const audio = await navigator.mediaDevices.getUserMedia({ audio: true });
          localRef.current = audio;
          setLocal(audio);
          setCamera(false);
        } catch {
          localRef.current = null;
        }
        setDevice('missing');
      } else {
        setDevice('failed');
      }
    }
  }, []);

  useEffect(() => {
    void askDevices();
    return () => localRef.current?.getTracks().forEach((track) => track.stop());
  }, [askDevices]);

  const signal = useCallback(
    (peer: { userId: string; peerId: string }, data: Signal) =>
      send('room.signal', { room_id: room.id, peer_id: peerId, to_user: peer.userId, to_peer: peer.peerId, signal: data }),
    [send, room.id, peerId],
  );

  const close = useCallback((remotePeer: string) => {
    const peer = peersRef.current.get(remotePeer);
    if (!peer) return;
    peer.pc.close();
    peersRef.current.delete(remotePeer);
    refresh();
  }, [refresh]);

  const connectionFor = useCallback((remotePeer: string, userId: string): Peer => {
    const existing = peersRef.current.get(remotePeer);
    if (existing) return existing;
    const pc = new RTCPeerConnection({ iceServers: room.ice_servers as RTCIceServer[] });
    const name = room.participants.find((p) => p.id === userId)?.display_name ?? '';
    const peer: Peer = { peerId: remotePeer, userId, name, pc, stream: null, state: 'new', mic: true, camera: true, pending: [] };
    peersRef.current.set(remotePeer, peer);
    const stream = localRef.current;
    const tracks = stream?.getTracks() ?? [];
    tracks.forEach((track) => pc.addTrack(track, stream!));
    // Without a camera or microphone of one's own, still receive the others'.
    if (!tracks.some((track) => track.kind === 'video')) pc.addTransceiver('video', { direction: 'recvonly' });
    if (!tracks.some((track) => track.kind === 'audio')) pc.addTransceiver('audio', { direction: 'recvonly' });
    pc.onicecandidate = (event) => {
      if (event.candidate) signal(peer, { type: 'candidate', candidate: event.candidate.toJSON() });
    };
    pc.ontrack = (event) => {
      peer.stream = event.streams[0] ?? new MediaStream([event.track]);
      refresh();
    };
    pc.onconnectionstatechange = () => {
      peer.state = pc.connectionState;
      if (pc.connectionState === 'connected') signal(peer, { type: 'state', ...stateRef.current });
      if (pc.connectionState === 'failed') setError(t('room.connectionFailed'));
      refresh();
    };
    refresh();
    return peer;
  }, [room.ice_servers, room.participants, signal, refresh, t]);

  const offer = useCallback(async (peer: Peer) => {
    const description = await peer.pc.createOffer();
    await peer.pc.setLocalDescription(description);
    signal(peer, { type: 'offer', sdp: description.sdp ?? '' });
  }, [signal]);

  const describe = async (peer: Peer, description: RTCSessionDescriptionInit) => {
    await peer.pc.setRemoteDescription(description);
    for (const candidate of peer.pending.splice(0)) await peer.pc.addIceCandidate(candidate);
  };

  // Someone's tab entered: of the two, the smaller peer id offers; the other says hello so that it does.
  useRealtimeMessage<{ room_id: string; user_id: string; peer_id: string }>('room.peer_joined', (message) => {
    const d = message.data;
    if (!joined || d.room_id !== room.id || d.peer_id === peerId) return;
    if (peersRef.current.has(d.peer_id)) close(d.peer_id);  // it came back: start afresh
    if (peerId < d.peer_id) {
      void offer(connectionFor(d.peer_id, d.user_id));
    } else {
      signal({ userId: d.user_id, peerId: d.peer_id }, { type: 'hello' });
    }
  });

  useRealtimeMessage<{ room_id: string; from_user: string; from_peer: string; to_peer: string; signal: Signal }>('room.signal', (message) => {
    const d = message.data;
    if (!joined || d.room_id !== room.id || d.to_peer !== peerId) return;
    const s = d.signal;
    void (async () => {
      try {
        if (s.type === 'hello') {
          if (!peersRef.current.has(d.from_peer) && peerId < d.from_peer) await offer(connectionFor(d.from_peer, d.from_user));
        } else if (s.type === 'offer') {
          const peer = connectionFor(d.from_peer, d.from_user);
          await describe(peer, { type: 'offer', sdp: s.sdp });
          const answer = await peer.pc.createAnswer();
          await peer.pc.setLocalDescription(answer);
          signal(peer, { type: 'answer', sdp: answer.sdp ?? '' });
        } else if (s.type === 'answer') {
          const peer = peersRef.current.get(d.from_peer);
          if (peer) await describe(peer, { type: 'answer', sdp: s.sdp });
        } else if (s.type === 'candidate') {
          const peer = peersRef.current.get(d.from_peer);
          if (peer?.pc.remoteDescription) await peer.pc.addIceCandidate(s.candidate);
          else peer?.pending.push(s.candidate);
        } else if (s.type === 'state') {
          const peer = peersRef.current.get(d.from_peer);
          if (peer) {
            peer.mic = s.mic;
            peer.camera = s.camera;
            refresh();
          }
        }
      } catch (e) {
        // A late or repeated signal (the other tab came back): the connection's own state tells
        // the person if it fails.
        console.warn('room signal', s.type, e);
      }
    })();
  });

  useRealtimeMessage<{ room_id: string; peer_id: string }>('room.peer_left', (message) => {
    if (message.data.room_id === room.id) close(message.data.peer_id);
  });

  useRealtimeMessage<{ status: number; message?: string }>('error', (message) => {
    if (joined && message.data.status !== 429) setError(message.data.message ?? t('room.connectionFailed'));
  });

  const join = () => {
    setError(null);
    if (!send('room.join', { room_id: room.id, peer_id: peerId })) {
      setError(t('room.offline'));
      return;
    }
    setJoined(true);
  };

  // After a reconnection of the socket, say again that this tab is here.
  useEffect(() => {
    if (joined && status === 'open') send('room.join', { room_id: room.id, peer_id: peerId });
  }, [connection]);

  const leave = useCallback(() => {
    send('room.leave', { room_id: room.id, peer_id: peerId });
    peersRef.current.forEach((peer) => peer.pc.close());
    peersRef.current.clear();
    localRef.current?.getTracks().forEach((track) => track.stop());
    sharing?.stop();
    navigate('/appointments');
  }, [send, room.id, peerId, sharing, navigate]);

  useEffect(() => () => {
    if (peersRef.current.size > 0) send('room.leave', { room_id: room.id, peer_id: peerId });
    peersRef.current.forEach((peer) => peer.pc.close());
  }, []);

  const tellState = (next: { mic: boolean; camera: boolean }) => {
    peersRef.current.forEach((peer) => signal(peer, { type: 'state', ...next }));
  };
  const toggleMic = () => {
    const next = !mic;
    localRef.current?.getAudioTracks().forEach((track) => { track.enabled = next; });
    setMic(next);
    tellState({ mic: next, camera });
  };
  const toggleCamera = () => {
    const next = !camera;
    localRef.current?.getVideoTracks().forEach((track) => { track.enabled = next; });
    setCamera(next);
    tellState({ mic, camera: next });
  };
  const cameraTrack = () => localRef.current?.getVideoTracks()[0] ?? null;
  const replaceVideo = async (track: MediaStreamTrack | null) => {
    for (const peer of peersRef.current.values()) {
      const sender = peer.pc.getSenders().find((s) => s.track?.kind === 'video' || (s.track === null && track !== null));
      await sender?.replaceTrack(track);
    }
  };
  const toggleShare = async () => {
    if (sharing) {
      sharing.stop();
      setSharing(null);
      await replaceVideo(cameraTrack());
      return;
    }
    try {
      const screen = await navigator.mediaDevices.getDisplayMedia({ video: true });
      const track = screen.getVideoTracks()[0];
      if (!track) return;
      track.onended = () => { setSharing(null); void replaceVideo(cameraTrack()); };
      setSharing(track);
      await replaceVideo(track);
    } catch {
      // The person closed the browser's picker: nothing to say.
    }
  };

  const hasVideo = !!local?.getVideoTracks().length;
  return (
    <Stack gap="md">
      {device === 'denied' && (
        <Alert color="orange" title={t('room.deniedTitle')} role="alert">
          <Stack gap="xs">
            <Text size="sm">{t('room.denied')}</Text>
            <Group><Button variant="default" onClick={() => void askDevices()}>{t('room.tryAgain')}</Button></Group>
          </Stack>
        </Alert>
      )}
      {device === 'missing' && <Alert color="yellow" title={t('room.missingTitle')}>{local ? t('room.missingCamera') : t('room.missingAll')}</Alert>}
      {device === 'failed' && <Alert color="red" title={t('room.failedTitle')} role="alert">{t('room.failed')}</Alert>}
      {error && <Alert color="red" role="alert">{error}</Alert>}
      {status !== 'open' && joined && <Alert color="yellow">{t('room.reconnecting')}</Alert>}

      <SimpleGrid cols={{ base: 1, sm: peers.length > 0 ? 2 : 1, lg: peers.length > 2 ? 3 : peers.length > 0 ? 2 : 1 }} spacing="sm">
        <Tile label={t('room.you')} stream={local} muted mirrored={!sharing} mic={mic} camera={camera || !!sharing} state={joined ? 'self' : 'preview'} />
        {peers.map((peer) => (
          <Tile key={peer.peerId} label={peer.name} stream={peer.stream} mic={peer.mic} camera={peer.camera} state={peer.state} />
        ))}
      </SimpleGrid>
      {joined && peers.length === 0 && <Text c="dimmed" size="sm" role="status">{t('room.alone')}</Text>}

      <Paper withBorder p="sm" className="room-controls">
        {!joined ? (
          <Group justify="center">
            <Button size="md" onClick={join} disabled={device === 'asking'}>{t('room.enter')}</Button>
            <Button size="md" variant="default" component={Link} to="/appointments">{t('common.cancel')}</Button>
          </Group>
        ) : (
          <Group justify="center" gap="sm" wrap="wrap">
            <Button size="md" variant={mic ? 'default' : 'filled'} color={mic ? undefined : 'red.9'} onClick={toggleMic}
              aria-pressed={!mic} disabled={!local?.getAudioTracks().length}>
              {mic ? t('room.mute') : t('room.unmute')}
            </Button>
            <Button size="md" variant={camera ? 'default' : 'filled'} color={camera ? undefined : 'red.9'} onClick={toggleCamera}
              aria-pressed={!camera} disabled={!hasVideo}>
              {camera ? t('room.cameraOff') : t('room.cameraOn')}
            </Button>
            {'getDisplayMedia' in (navigator.mediaDevices ?? {}) && (
              <Button size="md" variant={sharing ? 'filled' : 'default'} onClick={() => void toggleShare()} aria-pressed={!!sharing} disabled={!hasVideo}>
                {sharing ? t('room.stopSharing') : t('room.share')}
              </Button>
            )}
            <Button size="md" color="red.9" onClick={leave}>{t('room.leave')}</Button>
          </Group>
        )}
      </Paper>
      <Card withBorder>
        <Text size="sm" c="dimmed">{t('room.people', { names: room.participants.map((p) => p.display_name).join(', ') })}</Text>
      </Card>
    </Stack>
  );
}

function Tile({ label, stream, muted = false, mirrored = false, mic, camera, state }: {
  label: string; stream: MediaStream | null; muted?: boolean; mirrored?: boolean; mic: boolean; camera: boolean; state: string;
}) {
  const { t } = useTranslation();
  const video = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    if (video.current && video.current.srcObject !== stream) video.current.srcObject = stream;
  }, [stream]);
  const connected = state === 'connected' || state === 'self' || state === 'preview';
  return (
    <Paper withBorder radius="md" className="room-tile" data-state={state} aria-label={label}>
      <video ref={video} autoPlay playsInline muted={muted} className="room-video" data-mirrored={mirrored || undefined}
        style={{ visibility: camera && stream ? 'visible' : 'hidden' }} aria-label={t('room.videoOf', { name: label })} />
      <Group className="room-tile-label" gap={6}>
        <Text size="sm" fw={600} c="white">{label}</Text>
        {!mic && <Badge size="sm" color="red.9" variant="filled">{t('room.muted')}</Badge>}
        {!connected && <Badge size="sm" color="dark" variant="filled">{t(`room.peer.${state}`, { defaultValue: state })}</Badge>}
        {state === 'connected' && <Badge size="sm" color="dark" variant="filled" leftSection={<span aria-hidden="true" className="room-live-dot" />}>{t('room.peer.connected')}</Badge>}
      </Group>
    </Paper>
  );
}
