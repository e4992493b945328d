# wait_lines FILE N: wait until FILE has N lines (20 s at most), for the
# tests of jjoin that feed the stream through a FIFO and look at what
# came out before they change the table.
wait_lines() {
	local i
	for ((i = 0; i < 200; i++)); do
		[ "$(wc -l <"$1")" -ge "$2" ] && return 0
		sleep 0.1
	done
	return 1
}
