// The bash and zsh scripts `kapi completion` prints. Both hand the words typed so far to
// `<program> __complete…` and turn its answer (candidates, then `:<directive>`) into the
// shell's completions; directive bits: 1 error, 2 no space, 4 no file fallback, 8 file
// extensions, 16 directories only.

/** The bash script for a program name. */
export function bashScript(program: string): string {
  const fn = `__${program.replace(/[^A-Za-z0-9_]/g, "_")}_complete`;
  return `# bash completion for ${program}. Load it with:  source <(${program} completion bash)

${fn}() {
    local line=\${COMP_LINE:0:COMP_POINT}
    local -a words
    read -r -a words <<< "$line"
    # A blank before the cursor means a new, empty word is being completed.
    [[ $line =~ [[:space:]]$ ]] && words+=("")
    local cur=\${words[\${#words[@]}-1]}
    local out
    out=$("\${words[0]}" __completeNoDesc "\${words[@]:1}" 2>/dev/null) || return
    local directive=\${out##*:}
    out=\${out%:*}
    [[ $directive =~ ^[0-9]+$ ]] || directive=0
    (( directive & 1 )) && return
    local -a candidates=()
    local c
    while IFS= read -r c; do [[ -n $c ]] && candidates+=("$c"); done <<< "$out"
    if (( directive & 8 )); then
        local IFS='|'
        local exts="\${candidates[*]}"
        unset IFS
        compopt -o filenames 2>/dev/null
        COMPREPLY=($(compgen -f -X "!*.@($exts)" -- "$cur") $(compgen -d -- "$cur"))
        return
    fi
    if (( directive & 16 )); then
        compopt -o filenames 2>/dev/null
        COMPREPLY=($(compgen -d -- "$cur"))
        return
    fi
    # For --flag=value the candidates are values; bash splits words at = and :
    # (COMP_WORDBREAKS), so offer only what follows the last : of the value.
    [[ $cur == -*=* ]] && cur=\${cur#*=}
    local prefix=""
    [[ $cur == *:* ]] && prefix=\${cur%"\${cur##*:}"}
    COMPREPLY=()
    for c in "\${candidates[@]}"; do
        [[ $c == "$cur"* ]] && COMPREPLY+=("\${c#"$prefix"}")
    done
    (( directive & 2 )) && compopt -o nospace 2>/dev/null
    if (( directive & 4 )) || (( \${#COMPREPLY[@]} > 0 )); then
        compopt +o default 2>/dev/null
    fi
    return 0
}

complete -o default -F ${fn} ${program}
`;
}

/** The zsh script for a program name (works from fpath as _<program> or when sourced). */
export function zshScript(program: string): string {
  const fn = `_${program.replace(/[^A-Za-z0-9_]/g, "_")}`;
  return `#compdef ${program}
# zsh completion for ${program}. Load it with:  source <(${program} completion zsh)

${fn}() {
    local -a raw values
    local out directive line value desc
    out=$("\${words[1]}" __complete "\${(@)words[2,CURRENT]}" 2>/dev/null) || return 1
    raw=("\${(@f)out}")
    directive=\${raw[-1]#:}
    raw=("\${(@)raw[1,-2]}")
    [[ $directive == <-> ]] || directive=0
    (( directive & 1 )) && return 1
    if (( directive & 8 )); then
        _files -g "*.(\${(j:|:)raw})"
        return
    fi
    if (( directive & 16 )); then
        _files -/
        return
    fi
    for line in "\${raw[@]}"; do
        [[ -z $line ]] && continue
        value=\${line%%$'\\t'*}
        desc=""
        [[ $line == *$'\\t'* ]] && desc=\${line#*$'\\t'}
        values+=("\${value//:/\\\\:}\${desc:+:$desc}")
    done
    if (( \${#values} == 0 )); then
        (( directive & 4 )) || _files
        return
    fi
    if (( directive & 2 )); then
        _describe -t ${program}-values '${program}' values -S ''
    else
        _describe -t ${program}-values '${program}' values
    fi
}

if [[ "\${funcstack[1]}" == "${fn}" ]]; then
    ${fn} "$@"
else
    compdef ${fn} ${program}
fi
`;
}
