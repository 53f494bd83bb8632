#!/bin/bash
# usage: .perf-rss.sh <node args...>; prints RSS after 10 s
"$@" > /tmp/perf-child.log 2>&1 &
pid=$!
sleep 12
echo "$(grep VmRSS /proc/$pid/status | awk '{print int($2/1024)}') MB threads $(grep Threads /proc/$pid/status | awk '{print $2}') :: $*" 
kill $pid; wait $pid 2>/dev/null
