/// The workbench's one stylesheet, served as `/style.css`: the CSP allows no inline style, so every
/// colour, the chart's included, is set here by class.
enum Stylesheet {
    static let css = """
        :root { --ink: #1b1b1b; --brand: #00475a; --line: #d5d9dc; --soft: #f1f4f5; --warn: #8a4b00; --bad: #a4000f; --good: #1d6b2f; }
        * { box-sizing: border-box; }
        body { font-family: system-ui, "Segoe UI", sans-serif; margin: 0; color: var(--ink); background: #fafafa; font-size: 15px; }
        header { display: flex; align-items: center; justify-content: space-between; gap: 1rem; padding: .5rem 1rem; background: var(--brand); color: #fff; }
        header .brand { font-weight: 700; margin: 0; }
        header a { color: #fff; }
        nav { display: flex; gap: 1rem; align-items: center; flex-wrap: wrap; }
        nav form { display: inline; margin: 0; }
        main { padding: 1rem; max-width: 80rem; }
        h1 { font-size: 1.4rem; margin: .25rem 0 .75rem; }
        h2 { font-size: 1.1rem; margin: 1.25rem 0 .5rem; }
        h3 { font-size: 1rem; margin: .5rem 0; }
        table { border-collapse: collapse; width: 100%; background: #fff; }
        th, td { border-bottom: 1px solid var(--line); padding: .3rem .5rem; text-align: left; vertical-align: top; }
        thead th { background: var(--soft); }
        td.num, th.num { text-align: right; white-space: nowrap; }
        tr.empty td { color: #555; font-style: italic; }
        tr.warn th, tr.warn td, p.warn { color: var(--warn); font-weight: 600; }
        p.ok { color: var(--good); font-weight: 600; }
        tr.part th { padding-left: 1.5rem; font-weight: normal; }
        tr.apart th, tr.apart td { color: #555; }
        tfoot th, tfoot td { font-weight: 700; }
        label { display: grid; gap: .2rem; }
        label.check { display: flex; gap: .4rem; align-items: flex-start; }
        input, select, button { font: inherit; padding: .25rem .4rem; max-width: 100%; }
        table.queue td:first-child { white-space: nowrap; }
        button { background: var(--brand); color: #fff; border: 0; border-radius: 3px; padding: .35rem .8rem; cursor: pointer; }
        form.login { display: grid; gap: .75rem; max-width: 20rem; }
        #filters { display: flex; gap: .75rem; align-items: end; flex-wrap: wrap; margin: .75rem 0; }
        #counts ul.chips { list-style: none; display: flex; flex-wrap: wrap; gap: .5rem; padding: 0; margin: .25rem 0; }
        .badge { display: inline-block; border-radius: 999px; padding: 0 .5rem; background: var(--soft); border: 1px solid var(--line); white-space: nowrap; }
        .s-incomplete, .s-review, .s-unclear, .s-untrusted, .s-conflict, .s-failed, .s-leaderApproved, .s-left { background: #fff2d6; border-color: #e0b44c; }
        .s-approved, .s-registered, .s-refunded, .s-linked { background: #e3f3e6; border-color: #8cc79a; }
        .s-rejected, .s-leaderRejected { background: #fbe3e5; border-color: #e09aa1; }
        .fejl { color: var(--bad); font-weight: 600; }
        #flash { padding: .5rem .75rem; border-radius: 3px; margin-bottom: 1rem; }
        #flash p { margin: .15rem 0; }
        #flash.ok { background: #e3f3e6; border: 1px solid #8cc79a; }
        #flash.error { background: #fbe3e5; border: 1px solid #e09aa1; color: var(--bad); font-weight: 600; }
        p.facts { background: #fff; border: 1px solid var(--line); padding: .5rem; }
        dl#fields { display: grid; grid-template-columns: minmax(12rem, 20rem) 1fr; gap: .2rem .75rem; background: #fff; padding: .5rem; border: 1px solid var(--line); }
        dl#fields dt { font-weight: 600; }
        dl#fields dd { margin: 0; white-space: pre-wrap; }
        small.source { display: block; font-weight: normal; color: #555; }
        article.mail { background: #fff; border: 1px solid var(--line); padding: .5rem .75rem; margin-bottom: .75rem; }
        dl.headers { display: grid; grid-template-columns: 7rem 1fr; gap: .1rem .5rem; margin: 0; }
        dl.headers dd { margin: 0; }
        pre { white-space: pre-wrap; word-break: break-word; font-family: inherit; margin: .25rem 0; }
        pre.new-text { background: #fffbe6; border-left: 4px solid #e0b44c; padding: .4rem .6rem; }
        details.quote blockquote, details.forwarded pre { color: #555; border-left: 4px solid var(--line); margin: .25rem 0; padding-left: .6rem; }
        section#actions { display: grid; grid-template-columns: repeat(auto-fill, minmax(18rem, 1fr)); gap: .75rem; }
        section#actions h2 { grid-column: 1 / -1; }
        form.action { display: grid; gap: .4rem; background: #fff; border: 1px solid var(--line); padding: .5rem .75rem; align-content: start; }
        nav.paging { display: flex; gap: 1rem; margin: .75rem 0; }
        figure.chart { margin: .5rem 0 1rem; background: #fff; border: 1px solid var(--line); padding: .5rem; }
        #month-chart { width: 100%; max-width: 60rem; height: auto; }
        #month-chart rect.planned, .key.planned { fill: #7fa7b5; background: #7fa7b5; }
        #month-chart rect.spent, .key.spent { fill: #c0611d; background: #c0611d; }
        #month-chart line.axis { stroke: #888; }
        #month-chart text { font-size: 11px; fill: #333; }
        #month-chart text.year { fill: #777; }
        .key { display: inline-block; width: .9rem; height: .9rem; vertical-align: middle; margin-left: .75rem; }
        code { background: var(--soft); padding: 0 .2rem; }

        """

    /// The tab's icon, served as `/favicon.svg` and named in every page's head: without one the browser
    /// asks for /favicon.ico, gets a 404 and logs an error on the first page it opens.
    static let icon = """
        <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" height="16" rx="3" fill="#00475a"/>\
        <path d="M11 4.5H6.5a2 2 0 0 0 0 4h3a2 2 0 0 1 0 4H5" fill="none" stroke="#fff" stroke-width="1.8"/></svg>

        """
}
