// The directory layouts each ingest expects, printed when a root is missing and copied into the docs.

export const VIDEO_EXTENSIONS = ['.mp4', '.mkv', '.webm', '.mov', '.avi', '.m4v'] as const;

export const LANDSCAPE_LAYOUT = `<root>/
  landscape/
    videos/<video-id>.mp4            Landscape videos (also .mkv .webm .mov .avi .m4v), any names
    labels.csv                       optional: header 'id,label'; id = <video-id> (all its clips) or
                                     <video-id>_<clip#, 4 digits> (one 10 s clip); label = one of the 9
                                     classes (explosion, fire crackling, …); CRLF or LF
    splits/train.txt val.txt test.txt  optional official split lists: one clip id or video id per line
  into-the-wild/
    videos/<video-id>.mp4            Into the Wild videos (unlabeled)
(at least one of landscape/videos and into-the-wild/videos must exist)`;

export const GREATEST_HITS_LAYOUT = `<root>/                              (the vis-data release; a <root>/vis-data/ folder is also found)
  <name>_denoised.mp4                video with audio (<name>_mic.mp4 or <name>.mp4 also accepted)
  <name>_times.txt                   hit annotations, one per line: 'time material action reaction'
                                     e.g. '12.345 wood hit static' (time in seconds; None = unannotated)`;

export const RAVDESS_LAYOUT = `<root>/
  Actor_01/ … Actor_24/              (any depth; Video_Song_Actor_XX.zip unpacked)
    01-02-EE-II-SS-RR-AA.mp4         full-AV song takes (used for frame and audio)
    02-02-EE-II-SS-RR-AA.mp4         video-only song takes (used when no full-AV file of the take exists)
    03-02-EE-II-SS-RR-AA.wav         optional audio-only song takes (audio for video-only takes)
  names: MM-VV-EE-II-SS-RR-AA = modality-vocal channel (02 song)-emotion-intensity-statement-repetition-actor;
  speech files (VV=01) are skipped`;
