#!/bin/bash
# Usage: apt-get install xvfb xdotool imagemagick; cargo build; OUT=/tmp/shots scripts/screenshots.sh
# (the README pictures are taken this way, at the counter size 1280x768).
# Renders the real app at 1280x768 under Xvfb and takes screenshots along a sale.
set -u
export DISPLAY=:99
Xvfb :99 -screen 0 1280x768x24 >"${OUT:-docs/screenshots}"/xvfb.log 2>&1 &
XVFB=$!
sleep 2
DATA=$(mktemp -d)
BOXOFFICE_DATA_DIR=$DATA LIBGL_ALWAYS_SOFTWARE=1 "${BOXOFFICE_BIN:-target/debug/boxoffice}" >"${OUT:-docs/screenshots}"/app.log 2>&1 &
APP=$!
sleep 8
WIN=$(xdotool search --name "Box office" | head -1)
xdotool windowsize $WIN 1280 768; xdotool windowmove $WIN 0 0; sleep 1
shot() { import -window root "${OUT:-docs/screenshots}"/$1.png; }
xdotool windowfocus --sync $WIN; sleep 1; xdotool mousemove 640 500 click 1; sleep 1; shot login; xdotool mousemove 640 235 click 1; sleep 0.5
xdotool type --delay 50 "manager"; xdotool key Tab; xdotool type --delay 50 "9999"; xdotool key Return
sleep 4
shot sell
xdotool key Down; sleep 2
xdotool key F1 F1 F2; sleep 1
shot sell_seatmap
xdotool key F10; sleep 1
xdotool key F1; sleep 1
shot cash
xdotool key Return; sleep 4
shot receipt
xdotool key Return; sleep 1
xdotool key F11; sleep 1
shot refund
xdotool key F11; sleep 1
xdotool key F12; sleep 2
shot shift
xdotool key Escape; sleep 1


kill $APP; kill $XVFB
