/// The pages' one stylesheet, served at /style.css from the binary (the Content-Security-Policy
/// allows styles from our own origin only: no inline styles anywhere).
enum Stylesheet {
  static let css = """
    :root { --ink: #1f2328; --quiet: #5b636b; --line: #d8dde2; --paper: #fbfbf9; --card: #ffffff;
      --accent: #2f5d8a; --good: #2e6b3f; --warn: #8a5a12; --bad: #9b2c2c; }
    * { box-sizing: border-box; }
    html { -webkit-text-size-adjust: 100%; }
    body { margin: 0; background: var(--paper); color: var(--ink);
      font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
    header.top { display: flex; flex-wrap: wrap; align-items: baseline; justify-content: space-between;
      gap: .5rem 1rem; padding: .75rem 1rem; border-bottom: 1px solid var(--line); background: var(--card); }
    header.top nav { display: flex; flex-wrap: wrap; align-items: baseline; gap: .25rem 1rem; }
    .brand { font-weight: 600; color: var(--ink); text-decoration: none; letter-spacing: .02em; }
    .who { color: var(--quiet); }
    main { max-width: 46rem; margin: 0 auto; padding: 1rem 1rem 3rem; }
    h1 { font-size: 1.5rem; font-weight: 600; margin: .5rem 0 .25rem; }
    h2 { font-size: 1.15rem; font-weight: 600; margin: 0 0 .5rem; }
    h3 { font-size: 1rem; font-weight: 600; margin: 1rem 0 .25rem; }
    a { color: var(--accent); }
    .card { background: var(--card); border: 1px solid var(--line); border-radius: 6px;
      padding: 1rem; margin: 1rem 0; }
    .meta, .quiet { color: var(--quiet); font-size: .9rem; }
    ul { padding-left: 1.25rem; }
    ul.items { list-style: none; padding: 0; margin: 0; }
    ul.items > li { padding: .6rem 0; border-top: 1px solid var(--line); }
    ul.items > li:first-child { border-top: 0; }
    ul.holds { margin-top: 0; color: var(--warn); font-size: .9rem; }
    .state { display: inline-block; font-size: .75rem; font-weight: 600; text-transform: uppercase;
      letter-spacing: .04em; padding: 0 .4rem; border-radius: 3px; border: 1px solid currentColor;
      color: var(--quiet); vertical-align: middle; }
    .state.done, .state.complete, .state.signed { color: var(--good); }
    .state.ready, .state.active, .state.open { color: var(--accent); }
    .state.gated { color: var(--warn); }
    .gate { margin: 0 0 .25rem; font-size: .9rem; }
    form { margin: .5rem 0 0; }
    details { margin-top: .35rem; font-size: .9rem; }
    summary { color: var(--accent); cursor: pointer; }
    .picture img { display: block; max-width: 100%; height: auto; margin-top: .5rem; }
    form.inline { display: inline; margin: 0; }
    form.with-reason { display: flex; flex-wrap: wrap; gap: .5rem; align-items: end; }
    label { display: flex; flex-direction: column; font-size: .85rem; color: var(--quiet); }
    input, select { font: inherit; color: var(--ink); padding: .35rem .5rem; border: 1px solid var(--line);
      border-radius: 4px; background: #fff; min-width: 12rem; }
    button, a.button { font: inherit; display: inline-block; padding: .4rem .9rem; border-radius: 4px;
      border: 1px solid var(--accent); background: #fff; color: var(--accent); cursor: pointer;
      text-decoration: none; }
    button.primary, a.button.primary { background: var(--accent); color: #fff; }
    button.link { border: 0; padding: 0; background: none; color: var(--accent); text-decoration: underline; }
    .refused { border-left: 4px solid var(--bad); background: #fbefef; padding: .5rem .75rem;
      white-space: pre-wrap; }
    .done { border-left: 4px solid var(--good); background: #eef7ef; padding: .5rem .75rem; }
    .notice { border-left: 4px solid var(--warn); background: #fbf5ea; padding: .5rem .75rem; }
    blockquote.terms { margin: .5rem 0; padding: .75rem 1rem; background: var(--card);
      border-left: 4px solid var(--line); }
    blockquote.terms p { margin: 0 0 .5rem; }
    blockquote.terms p:last-child { margin: 0; }
    form > a { margin-left: 1rem; }
    .hash code { word-break: break-all; font-size: .85rem; }
    pre { overflow-x: auto; font-size: .8rem; line-height: 1.4; margin: 0; }
    pre.diff { background: var(--paper); padding: .5rem; }
    table { border-collapse: collapse; width: 100%; }
    th, td { text-align: left; padding: .3rem .5rem .3rem 0; border-top: 1px solid var(--line);
      vertical-align: top; font-weight: normal; }
    th { font-weight: 600; }
    .due.overdue { color: var(--bad); font-weight: 600; }
    .state.sustaining { color: var(--good); }
    /* The client page: what the viewer owes first, finished stages folded away. */
    .card.owed { border-left: 4px solid var(--accent); }
    .card.owed ul.items > li { padding: .75rem 0; }
    p.act { margin: .5rem 0 0; }
    h2.section { margin: 1.5rem 0 0; }
    main > h2 { margin-top: 1.25rem; }
    h3.stage-title { font-size: 1.1rem; margin: 0 0 .5rem; }
    h4 { font-size: 1rem; font-weight: 600; margin: 1rem 0 .25rem; }
    details.stage > summary { font-size: 1rem; color: var(--ink); }
    details.stage > summary .stage-title { font-weight: 600; }
    details.stage[open] > summary { margin-bottom: .5rem; }
    details.waiting summary { font-size: .9rem; }
    div.table { max-width: 100%; overflow-x: auto; }
    caption { text-align: left; caption-side: top; padding-bottom: .25rem; }
    main { overflow-wrap: break-word; }
    form.survey fieldset { border: 1px solid var(--line); border-radius: 6px; margin: 0 0 1rem; padding: .5rem .75rem; }
    form.survey legend { font-weight: 600; padding: 0 .25rem; }
    form.survey fieldset.statement legend { font-weight: 400; }
    label.choice { display: inline-flex; flex-direction: row; align-items: center; gap: .3rem; margin: .3rem 1rem .3rem 0;
      font-size: 1rem; color: inherit; min-height: 2.75rem; }
    label.choice input { width: 1.4rem; height: 1.4rem; }
    .problems { border: 1px solid var(--bad); border-radius: 6px; padding: .5rem .75rem; color: var(--bad); }

    /* The browser audit's rules (issue 22; Tests/Browser/audit_pages.py): nothing wider than a
       390px phone, and nothing axe-core finds serious. Kept together, last, to be read as one. */
    /* A terms hash in running text (the acknowledgement form's) breaks rather than push the
       page past a phone's edge; .hash code already did. */
    code { overflow-wrap: anywhere; }
    /* History, metric readings and the benchmark's lines wrap: a box that scrolls sideways is
       one a keyboard cannot reach (axe: scrollable-region-focusable), and on a phone it hides
       the ends of lines. */
    pre { white-space: pre-wrap; overflow-wrap: anywhere; }
    /* The layout's skip link: out of sight until a keyboard reaches it, first on every page. */
    a.skip { position: absolute; left: .5rem; top: -4rem; z-index: 1; padding: .4rem .75rem;
      background: var(--card); border: 1px solid var(--accent); border-radius: 4px; }
    a.skip:focus { top: .5rem; }
    /* Where the keyboard is, plainly, on every link, button and field. */
    a:focus-visible, button:focus-visible, input:focus-visible, select:focus-visible,
    summary:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
    /* Benchmark charts and the history (issue 22): nothing wider than a 390px phone. */
    .readable { overflow-wrap: anywhere; }
    figure.chart { margin: .75rem 0 1.25rem; }
    figure.chart svg { display: block; width: 100%; max-width: 28rem; height: auto; }
    .figures { max-width: 100%; overflow-x: auto; margin: .5rem 0 1rem; }
    .figures th, .figures td { overflow-wrap: break-word; }
    .figures table { font-size: .9rem; }
    .figures caption { text-align: left; font-weight: 600; padding: .25rem 0; }
    .figures td { font-variant-numeric: tabular-nums; }
    .benchmark .headline { font-size: 1.1rem; font-weight: 600; }
    ol.history { list-style: none; padding: 0; margin: 0; }
    ol.history > li { padding: .6rem 0; border-top: 1px solid var(--line); }
    ol.history > li:first-child { border-top: 0; }
    ol.history p { margin: 0; }
    ol.history .named { text-decoration: underline dotted; text-underline-offset: .2em; }
    ol.history code { font-size: .85em; }
    ol.history p.note { margin-top: .3rem; padding-left: .75rem; border-left: 3px solid var(--line);
      white-space: pre-line; }

    """
}
