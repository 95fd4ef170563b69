# synscan.bash: bash completion for synscan (options, subcommands, send modes, files, users and interfaces).
_synscan()
{
	local cur prev
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=${COMP_WORDS[COMP_CWORD - 1]}
	# Subcommands: synscan diff|merge|ports|policy ...
	if [ "$COMP_CWORD" -eq 1 ] && [[ $cur != -* ]]; then
		mapfile -t COMPREPLY < <(compgen -W "diff merge ports policy" -- "$cur")
		[ ${#COMPREPLY[@]} -gt 0 ] && return
	fi
	case ${COMP_WORDS[1]:-} in
	diff | merge)
		if [[ $cur == -* ]]; then
			mapfile -t COMPREPLY < <(compgen -W "--db --help $([ "${COMP_WORDS[1]}" = diff ] && echo --json)" -- "$cur")
		else
			mapfile -t COMPREPLY < <(compgen -f -- "$cur")
		fi
		return
		;;
	ports)
		case $prev in
		--from | --table | --servicedb) mapfile -t COMPREPLY < <(compgen -f -- "$cur") ;;
		--exclude-ports | --top-ports | --default) ;;
		*)
			[[ $cur == -* ]] && mapfile -t COMPREPLY < <(compgen -W "--exclude-ports --top-ports
				--servicedb --from --each --count --table --default --help" -- "$cur")
			;;
		esac
		return
		;;
	policy)
		case $prev in
		--target | --ports) ;;
		*)
			if [[ $cur == -* ]]; then
				mapfile -t COMPREPLY < <(compgen -W "--target --ports --each --help" -- "$cur")
			else
				mapfile -t COMPREPLY < <(compgen -f -- "$cur")
			fi
			;;
		esac
		return
		;;
	esac
	case $prev in
	-oN | -oX | -oG | -oJ | -oL | -oA | --csv | -iL | --excludefile | --resume | --pause-file | \
		--status-json | --servicedb | --expect | --db)
		mapfile -t COMPREPLY < <(compgen -f -- "$cur")
		return
		;;
	-e)
		mapfile -t COMPREPLY < <(compgen -W "$(ls /sys/class/net 2>/dev/null)" -- "$cur")
		return
		;;
	--user)
		mapfile -t COMPREPLY < <(compgen -u -- "$cur")
		return
		;;
	--send-mode)
		# The names come from synscan's own send-path table: --list-send-modes
		# (hidden, alone) only prints them: no privilege, no socket, no packet.
		mapfile -t COMPREPLY < <(compgen -W "$("${COMP_WORDS[0]}" --list-send-modes 2>/dev/null)" -- "$cur")
		return
		;;
	-p | --exclude-ports | --top-ports | --rate | --min-rate | --max-rate | --max-host-rate | --wait | --seed | \
		--shard | --max-retries | --sender-threads | --stats-every | -S | -g | --source-port | \
		--router-mac | --exclude | --max-runtime | --host-timeout | --dns-servers)
		return
		;;
	-T)
		mapfile -t COMPREPLY < <(compgen -W "0 1 2 3 4 5 paranoid sneaky polite normal aggressive insane" -- "$cur")
		return
		;;
	esac
	if [[ $cur == -* ]]; then
		mapfile -t COMPREPLY < <(compgen -W "-p -F -iL --exclude --excludefile -n -R -6 --list-targets --no-blocklist
			-sn -PE -PP -PS -PA -PR --dns-servers
			--top-ports --exclude-ports --servicedb --rate --min-rate --max-rate --max-host-rate
			-T0 -T1 -T2 -T3 -T4 -T5 --max-runtime --host-timeout
			--max-retries --wait --seed --shard --resume --pause-file -e -S -g --source-port
			--router-mac --sender-threads --send-mode -oN -oX -oG -oA -oJ -oL --csv --open
			--reason --stats-every --status-json --expect --db --user -v -d -q -sS -Pn
			-h --help --version" -- "$cur")
	fi
}
complete -F _synscan synscan

# synscan-verify (the ruleset checker): its options, files after them.
_synscan_verify()
{
	local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]}
	case $prev in
	--ruleset | --expect) mapfile -t COMPREPLY < <(compgen -f -- "$cur") ;;
	--ports | --name) ;;
	*)
		[[ $cur == -* ]] && mapfile -t COMPREPLY < <(compgen -W "--ruleset --expect --ports --name
			--keep --help" -- "$cur")
		;;
	esac
}
complete -F _synscan_verify synscan-verify
