#!/usr/bin/env bash
# Re-creates public/media/quiet-prince-lanterns.mp4, the demo content's self-hosted
# clip: three paper lanterns swaying and flickering at night, 8 s, 640x360, H.264,
# no sound, about 40 KB. Drawn by ffmpeg (Debian's package), so nothing is borrowed.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v ffmpeg >/dev/null || ./scripts/apt-packages.sh ffmpeg
glow='(exp(-(pow(X-160-12*sin(T*1.3),2)+pow(Y-150-6*sin(T*2),2))/1600)*(0.9+0.1*sin(T*11))'
glow+='+exp(-(pow(X-320-9*sin(T*1.1+1),2)+pow(Y-118-4*sin(T*1.7),2))/2200)*(0.92+0.08*sin(T*13+1))'
glow+='+exp(-(pow(X-480-12*sin(T*1.5+2),2)+pow(Y-162-5*sin(T*2.2),2))/1600)*(0.9+0.1*sin(T*9+2)))'
ffmpeg -hide_banner -loglevel error -y -f lavfi \
  -i "color=c=black:s=640x360:r=24:d=8,format=rgb24,geq=r='min(255,22+240*$glow)':g='min(255,20+150*$glow)':b='min(255,42+50*$glow)',vignette=PI/5,format=yuv420p" \
  -c:v libx264 -preset slow -crf 28 -profile:v main -movflags +faststart -an \
  public/media/quiet-prince-lanterns.mp4
