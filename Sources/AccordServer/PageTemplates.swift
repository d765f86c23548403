import Foundation
import Mustache
import ProgrammeEngine

/// The pages' templates, kept in the binary (the installed accord is one file).
///
/// Mustache escapes every `{{value}}`; the only triple braces are the layout's `{{{body}}}`,
/// which is a page this library has already rendered and escaped, never a person's text, and
/// a chart's `{{{svg}}}`, which `BarChart` wrote and escaped (PageTemplates+Benchmark.swift).
enum PageTemplates {
  static let library: MustacheLibrary = {
    var library = MustacheLibrary()
    for (name, text) in templates.merging(reading, uniquingKeysWith: { own, _ in own }) {
      // The templates are constants of the program; the tests render every one of them.
      try! library.register(text, named: name)
    }
    return library
  }()

  /// Renders `view` with the template `name`, inside the layout.
  static func page(_ name: String, title: String, chrome: Chrome?, _ view: Any) -> String {
    let body = library.render(view, withTemplate: name) ?? ""
    return visible(library.render(Layout(title: title, chrome: chrome, body: body), withTemplate: "layout") ?? body)
  }

  /// The page with every control character (but line breaks and tabs) and every
  /// bidirectional override or isolate written as the text `\u{202E}`: Mustache escapes
  /// markup, and this keeps stored text from a file written before `TextRules` from
  /// reordering what a browser shows around it. The templates themselves hold none.
  static func visible(_ html: String) -> String {
    guard Shown.mayHoldHidden(html, carriageReturn: true) else { return html }
    var shown = String.UnicodeScalarView()
    for scalar in html.unicodeScalars {
      if scalar != "\r", Shown.isHiddenInStoredNote(scalar) {
        shown.append(contentsOf: Shown.escape(scalar).unicodeScalars)
      } else {
        shown.append(scalar)
      }
    }
    return String(shown)
  }

  /// What the layout shows around every page.
  struct Layout {
    var title: String
    var chrome: Chrome?
    var body: String
  }

  /// The signed-in person's header: who they are, where they can go, and the sign-out form.
  struct Chrome {
    var person: String
    var csrf: String
    var firm: Bool
  }

  static let templates: [String: String] = [
    "layout": """
      <!doctype html>
      <html lang="en">
      <head>
      <meta charset="utf-8">
      <meta name="viewport" content="width=device-width, initial-scale=1">
      <title>{{title}} · Accord</title>
      <link rel="stylesheet" href="/style.css">
      </head>
      <body>
      <a class="skip" href="#main">Skip to the page</a>
      <header class="top">
      <a class="brand" href="/">Accord</a>
      {{#chrome}}
      <nav aria-label="Accord">
      <a href="/">My work</a>
      {{#firm}}<a href="/portfolio">Portfolio</a>{{/firm}}
      <span class="who">{{person}}</span>
      <form method="post" action="/sign-out" class="inline"><input type="hidden" name="csrf" value="{{csrf}}"><button class="link">Sign out</button></form>
      </nav>
      {{/chrome}}
      </header>
      <main id="main">
      {{{body}}}
      </main>
      </body>
      </html>

      """,

    "message": """
      <h1>{{heading}}</h1>
      {{#lines}}<p>{{.}}</p>{{/lines}}
      {{#link}}<p><a href="{{href}}">{{text}}</a></p>{{/link}}

      """,

    "survey": """
      <h1>Collaboration survey</h1>
      <section class="card">
      <h2>What is kept, and who sees what</h2>
      <p>Your name is not asked, and this page sets no cookie. Accord keeps your team, your level and your answers, and nothing else: not the link you used, not your address, not the time you answered. Answers are kept in no order, so nobody can tell which is yours.</p>
      <p>While the survey is open, only the number of answers is shown. Once it closes, the consultant and the client see results for groups of at least {{anonymity}} people, never for a smaller group, and never by subtracting one group from another.</p>
      <p>The link works once{{#closes}}, until the end of {{.}} (UTC){{/closes}}. Leave a statement blank if you would rather not answer it.</p>
      </section>
      {{#hasProblems}}<div class="problems" role="alert">{{#problems}}<p>{{.}}</p>{{/problems}}</div>{{/hasProblems}}
      <form method="post" action="{{action}}" class="survey">
      <fieldset>
      <legend>Your team</legend>
      {{#teams}}<label class="choice"><input type="radio" name="{{name}}" value="{{value}}"{{#checked}} checked{{/checked}} required> {{label}}</label>{{/teams}}
      </fieldset>
      <fieldset>
      <legend>Your level</legend>
      {{#levels}}<label class="choice"><input type="radio" name="{{name}}" value="{{value}}"{{#checked}} checked{{/checked}} required> {{label}}</label>{{/levels}}
      </fieldset>
      <p class="quiet">Rate each statement from {{minimum}} (disagree strongly) to {{maximum}} (agree strongly).</p>
      {{#dimensions}}
      <section class="card">
      <h2>{{title}}</h2>
      {{#statements}}
      <fieldset class="statement">
      <legend>{{text}}</legend>
      {{#choices}}<label class="choice"><input type="radio" name="{{name}}" value="{{value}}"{{#checked}} checked{{/checked}}> {{label}}</label>{{/choices}}
      </fieldset>
      {{/statements}}
      </section>
      {{/dimensions}}
      <button class="primary">Send my answers</button>
      </form>

      """,

    "sign-in": """
      <h1>Sign in to Accord</h1>
      <p>This link signs in <strong>{{person}}</strong>, with access to {{access}}. {{madeBy}} made it{{#printedFor}} and printed it to hand over{{/printedFor}}.</p>
      <p>If you are not {{person}}, do not use it: everything you do would be recorded as {{person}}'s. Ask {{madeBy}} for a link of your own.</p>
      <p>It works once: after you sign in, your browser stays signed in until you sign out or the session ends.</p>
      <form method="post" action="/sign-in">
      <input type="hidden" name="secret" value="{{secret}}">
      <button class="primary">Sign in</button>
      </form>

      """,

    "sign-in-laptop": """
      <h1>Sign in your laptop</h1>
      <p>Sign in your laptop to Accord as <strong>{{person}}</strong>?</p>
      {{#check}}<p>accord login printed the check <strong>{{.}}</strong> on the laptop that asked. Sign in only if you ran it just now and it shows this check: whoever asked acts as {{person}} once signed in.</p>{{/check}}
      <form method="post" action="/sign-in/laptop">
      <input type="hidden" name="secret" value="{{secret}}">
      <button class="primary">Sign in my laptop</button>
      </form>
      <p>If you did not ask, close this page: nothing is signed in until you press the button.</p>

      """,

    "my-work": """
      <h1>My work</h1>
      {{#agenda}}
      <section class="card agenda">
      <h2>Overdue and due by {{until}}</h2>
      {{#isEmpty}}<p class="quiet">Nothing of yours is overdue or due by {{until}}.</p>{{/isEmpty}}
      {{#groups}}{{> agenda-items}}{{/groups}}
      </section>
      {{/agenda}}
      {{^clients}}<p>You have no clients to see yet.</p>{{/clients}}
      {{#clients}}
      <section class="card">
      <h2><a href="{{href}}">{{name}}</a></h2>
      <p class="meta">{{stage}} · {{progress}}% done</p>
      {{#complete}}<p>The programme is complete: every stage is done.</p>{{/complete}}
      {{^complete}}
      <h3>What I owe</h3>
      {{^owe}}<p class="quiet">Nothing for you to do right now.</p>{{/owe}}
      <ul class="items">{{#owe}}<li><div class="line"><a href="{{href}}">{{text}}</a></div>{{#due}}<div class="meta">{{> due}}</div>{{/due}}</li>{{/owe}}</ul>
      {{#hasWaiting}}
      <details class="waiting"><summary>What I am waiting for</summary>
      <ul>{{#waiting}}<li>{{text}}</li>{{/waiting}}</ul>
      </details>
      {{/hasWaiting}}
      {{/complete}}
      </section>
      {{/clients}}

      """,

    "client": """
      <h1>{{name}}</h1>
      <p class="meta">{{headline}}</p>
      {{#failure}}<p class="refused" role="alert">{{.}}</p>{{/failure}}
      {{#done}}<p class="done" role="status">{{.}}</p>{{/done}}
      {{#archived}}<p class="notice">{{.}}</p>{{/archived}}
      <section class="card owed" aria-labelledby="owed">
      <h2 id="owed">For you to do</h2>
      {{^owed}}<p class="quiet">Nothing for you to do here right now.</p>{{/owed}}
      <ul class="items">
      {{#owed}}
      <li>
      <div class="line">{{text}}</div>
      {{#due}}<div class="meta">{{> due}}</div>{{/due}}
      {{#link}}<p class="act"><a class="button primary" href="{{href}}">{{label}}</a></p>{{/link}}
      {{#complete}}<form method="post" action="{{action}}/complete"><input type="hidden" name="csrf" value="{{csrf}}"><input type="hidden" name="milestone" value="{{.}}"><button class="primary">Complete</button></form>{{/complete}}
      </li>
      {{/owed}}
      </ul>
      {{#hasWaiting}}
      <details class="waiting"><summary>What others owe, and the closed gates</summary>
      <ul>{{#waiting}}<li>{{.}}</li>{{/waiting}}</ul>
      </details>
      {{/hasWaiting}}
      </section>
      <p class="meta"><a href="{{benchmarkHref}}">Benchmark and opportunity</a> · <a href="{{reportHref}}">Client report</a></p>
      {{#picture}}<details class="card picture"><summary>The programme as a picture</summary><img src="{{.}}" alt="The stages, milestones and agreements below, drawn with what each needs and each gate, every one marked done, ready, waiting, gated or overdue."></details>{{/picture}}
      <h2 class="section">The programme</h2>
      {{#stages}}
      {{#folded}}
      <details class="card stage" id="stage-{{id}}">
      <summary><span class="stage-title">{{title}}</span> <span class="state {{state}}">{{state}}</span> <span class="meta">{{summary}}</span></summary>
      {{> stage-body}}
      </details>
      {{/folded}}
      {{^folded}}
      <section class="card stage" id="stage-{{id}}">
      <h3 class="stage-title">{{title}} <span class="state {{state}}">{{state}}</span></h3>
      {{> stage-body}}
      </section>
      {{/folded}}
      {{/stages}}
      {{#hasMetrics}}
      <section class="card" id="metrics">
      <h2>Metrics</h2>
      {{#metrics}}
      <h3 title="{{id}}">{{title}}</h3>
      <p class="meta">Baseline {{baseline}} · latest {{latest}} · target {{target}}{{#due}} · next reading {{> due}}{{/due}}</p>
      <p class="{{#offTrack}}refused{{/offTrack}}">{{status}}</p>
      {{#hasReadings}}<div class="table"><table>
      <caption class="quiet">Readings of {{title}}, newest first</caption>
      <thead><tr><th scope="col">Day</th><th scope="col">Value</th><th scope="col">Judged</th><th scope="col">By</th></tr></thead>
      <tbody>{{#readings}}<tr><td>{{day}}</td><td>{{value}}</td><td>{{judged}}</td><td>{{by}}</td></tr>{{/readings}}</tbody>
      </table></div>{{/hasReadings}}
      {{/metrics}}
      {{#recordable}}
      <form method="post" action="{{action}}/record-metric" class="with-reason"><input type="hidden" name="csrf" value="{{csrf}}">
      <label>Metric <select name="metric" required>{{#metrics}}<option value="{{.}}">{{.}}</option>{{/metrics}}</select></label>
      <label>Value <input name="value" required inputmode="decimal"></label>
      <label>Day <input name="date" type="date" value="{{today}}" required></label>
      <label><input type="checkbox" name="baseline" value="yes"> The baseline</label>
      <label>Where the number came from <input name="reason"></label>
      <button>Record the reading</button></form>
      {{/recordable}}
      </section>
      {{/hasMetrics}}
      <section class="card" id="roles">
      <h2>Roles</h2>
      <div class="table"><table>
      {{#roles}}<tr><th scope="row" title="{{id}}">{{title}}</th><td{{#vacant}} class="quiet"{{/vacant}}>{{holder}}</td></tr>{{/roles}}
      </table></div>
      {{#assignable}}
      <form method="post" action="{{action}}/assign" class="with-reason"><input type="hidden" name="csrf" value="{{csrf}}">
      <label>Role <select name="role" required><option value="" selected disabled>Choose a role</option>{{#roles}}<option value="{{.}}">{{.}}</option>{{/roles}}</select></label>
      <label>Person <input name="person" required></label>
      <button>Assign</button></form>
      {{/assignable}}
      </section>
      {{> history}}

      """,

    // A stage's gate, milestones and agreements (`PageViews.StageView`), open or folded.
    "stage-body": """
      {{#target}}<p class="meta">To finish {{> due}}</p>{{/target}}
      {{#gate}}
      {{#open}}<p class="gate">The gate is open: {{names}} agreed.</p>{{/open}}
      {{^open}}<p class="gate">Opens once:</p><ul class="holds">{{#holds}}<li>{{.}}</li>{{/holds}}</ul>{{/open}}
      {{/gate}}
      <ul class="items">
      {{#milestones}}
      <li>
      <div class="line"><span class="state {{state}}">{{state}}</span> <strong title="{{id}}">{{title}}</strong></div>
      <div class="meta">{{owner}}{{#done}} · {{.}}{{/done}}{{#due}} · {{> due}}{{/due}}</div>
      {{#canComplete}}
      <form method="post" action="{{action}}/complete"><input type="hidden" name="csrf" value="{{csrf}}"><input type="hidden" name="milestone" value="{{id}}"><button class="primary">Complete</button></form>
      {{/canComplete}}
      {{#canReopen}}
      <details><summary>Reopen</summary>
      <form method="post" action="{{action}}/reopen" class="with-reason"><input type="hidden" name="csrf" value="{{csrf}}"><input type="hidden" name="milestone" value="{{id}}"><label>Reason <input name="reason" required></label><button>Reopen</button></form>
      </details>
      {{/canReopen}}
      </li>
      {{/milestones}}
      </ul>
      {{#agreements}}
      <h4>Agreement: <a href="{{href}}" title="{{id}}">{{title}}</a> <span class="state {{state}}">{{state}}</span></h4>
      {{#due}}<p class="meta">Signatures {{> due}}</p>{{/due}}
      <ul class="items">
      {{#signatures}}
      <li>
      <div class="line"><strong title="{{role}}">{{roleTitle}}</strong> ({{holder}}): {{text}}{{#shortTerms}}, terms <code title="{{terms}}">{{.}}</code>{{/shortTerms}}</div>
      {{#standing}}<div class="meta standing">{{.}}</div>{{/standing}}
      {{#canRevoke}}
      <details><summary>Withdraw this signature</summary>
      <form method="post" action="{{action}}/revoke" class="with-reason"><input type="hidden" name="csrf" value="{{csrf}}"><input type="hidden" name="agreement" value="{{agreement}}"><input type="hidden" name="role" value="{{role}}"><label>Reason <input name="reason" required></label><button>Revoke</button></form>
      </details>
      {{/canRevoke}}
      </li>
      {{/signatures}}
      </ul>
      {{#sign}}<p class="act"><a class="button primary" href="{{href}}">{{label}}</a></p>{{/sign}}
      {{#acknowledgements}}<p class="meta">{{.}}</p>{{/acknowledgements}}
      {{#acknowledge}}<p><a class="button primary" href="{{href}}">{{.}}</a></p>{{/acknowledge}}
      {{#canAffirm}}<p><a class="button primary" href="{{href}}">Affirm</a></p>{{/canAffirm}}
      {{/agreements}}

      """,

    // The confirmation step of a hand-over that takes control away (`Programme.handOverLoss`).
    "hand-over": """
      <p class="meta"><a href="{{clientHref}}">{{clientName}}</a></p>
      <h1>Hand over the role '{{roleTitle}}' to {{person}}?</h1>
      <p class="notice" role="alert">{{loss}}.</p>
      <form method="post" action="{{clientHref}}/assign">
      <input type="hidden" name="csrf" value="{{csrf}}">
      <input type="hidden" name="role" value="{{role}}">
      <input type="hidden" name="person" value="{{person}}">
      <input type="hidden" name="holder" value="{{holder}}">
      <input type="hidden" name="confirm" value="yes">
      <button class="primary">Hand over to {{person}}</button>
      <a href="{{clientHref}}">Cancel: nothing changes</a>
      </form>

      """,

    "agreement": """
      <p class="meta"><a href="{{clientHref}}">{{clientName}}</a></p>
      <h1>{{title}}</h1>
      {{#failure}}<p class="refused" role="alert">{{.}}</p>{{/failure}}
      {{#done}}<p class="done" role="status">{{.}}</p>{{/done}}
      <p class="meta"><span class="state {{state}}">{{state}}</span> · in {{stage}} · signed by {{signatories}}</p>
      {{#sign}}<p class="act"><a class="button primary" href="{{href}}">{{label}}</a></p>{{/sign}}
      {{#affirm}}
      <form method="post" action="{{href}}/affirm" class="affirm">
      <input type="hidden" name="csrf" value="{{csrf}}">
      <input type="hidden" name="terms" value="{{hash}}">
      <input type="hidden" name="role" value="{{role}}">
      <p>You hold the role <strong>{{title}}</strong> now; a predecessor signed these terms for it. Affirming takes the signature as your own. To disagree, revoke it instead, with a reason.</p>
      <button class="primary">Affirm as {{title}}</button>
      </form>
      {{/affirm}}
      <h2>Terms</h2>
      <blockquote class="terms">{{#terms}}<p>{{.}}</p>{{/terms}}</blockquote>
      {{#targets}}<p class="target">Target: {{.}}</p>{{/targets}}
      <details class="hash"><summary>Terms fingerprint <code>{{shortHash}}</code></summary><p>SHA-256 of the terms: <code>{{hash}}</code></p></details>
      <h2>Signatures</h2>
      <ul class="items">
      {{#signatures}}
      <li><strong title="{{role}}">{{roleTitle}}</strong> ({{holder}}): {{text}}{{#shortTerms}}, terms <code title="{{terms}}">{{.}}</code>{{/shortTerms}}
      {{#standing}}<div class="meta standing">{{.}}</div>{{/standing}}
      {{#hasDiff}}<div>What changed since it was signed:</div><pre class="diff">{{#diff}}{{.}}
      {{/diff}}</pre>{{/hasDiff}}
      </li>
      {{/signatures}}
      </ul>
      {{#acknowledgements}}
      <section class="card acknowledgements">
      <h2>Acknowledgements</h2>
      <p>The staff of each team below read these terms and agree to live by them; {{needed}}.</p>
      <ul class="progress">{{#teams}}<li>{{.}}</li>{{/teams}}</ul>
      {{#yetToAcknowledge}}
      <h3>Yet to acknowledge</h3>
      {{#isEmpty}}<p class="quiet">Nobody: everyone asked has acknowledged the terms in force.</p>{{/isEmpty}}
      <ul class="yet-to-acknowledge">{{#names}}<li>{{.}}</li>{{/names}}</ul>
      {{/yetToAcknowledge}}
      {{#acknowledged}}<p class="done acknowledged">{{.}}</p>{{/acknowledged}}
      {{#canAcknowledge}}
      <form method="post" action="{{href}}/acknowledge" class="acknowledge">
      <input type="hidden" name="csrf" value="{{csrf}}">
      <input type="hidden" name="terms" value="{{hash}}">
      <p>By pressing the button you say you have read the terms above, whose SHA-256 is <code>{{hash}}</code>, and agree to live by them.</p>
      <button class="primary">I agree</button>
      </form>
      {{/canAcknowledge}}
      </section>
      {{/acknowledgements}}

      """,

    "sign": """
      <p class="meta"><a href="{{href}}">{{title}}</a></p>
      <h1>Sign: {{title}}</h1>
      {{#failure}}<p class="refused" role="alert">{{.}}</p>{{/failure}}
      <p>You are signing as <strong>{{roleTitle}}</strong>, for {{clientName}}, these terms:</p>
      <blockquote class="terms">{{#terms}}<p>{{.}}</p>{{/terms}}</blockquote>
      {{#targets}}<p class="target">Target: {{.}}</p>{{/targets}}
      <p class="hash">Their SHA-256, which your signature names: <code>{{hash}}</code></p>
      <form method="post" action="{{href}}/sign">
      <input type="hidden" name="csrf" value="{{csrf}}">
      <input type="hidden" name="terms" value="{{hash}}">
      <input type="hidden" name="role" value="{{role}}">
      <button class="primary">Sign these terms as {{roleTitle}}</button>
      <a href="{{href}}">Cancel</a>
      </form>

      """,

    "portfolio": """
      <h1>Portfolio</h1>
      {{#agenda}}
      <section class="card agenda">
      <h2>Agenda: overdue and due by {{until}}</h2>
      {{#isEmpty}}<p class="quiet">Nothing is overdue or due by {{until}}.</p>{{/isEmpty}}
      {{#groups}}
      <h3>{{person}}</h3>
      {{> agenda-items}}
      {{#more}}<p class="quiet">{{.}}</p>{{/more}}
      {{/groups}}
      </section>
      {{/agenda}}
      {{^clients}}<p>No clients yet.</p>{{/clients}}
      {{#pages}}<p class="meta">{{showing}}</p>{{/pages}}
      {{#clients}}
      <section class="card">
      <h2><a href="{{href}}">{{name}}</a></h2>
      <p class="meta">{{stage}}{{#sustaining}} · <span class="state sustaining">sustaining</span>{{/sustaining}} · {{progress}}% done{{#overdue}} · <span class="due overdue">{{.}}</span>{{/overdue}}{{#nextDue}} · next due <span title="{{nextDueDate}}">{{.}}</span>{{/nextDue}}</p>
      {{#hasWaits}}<p>Waiting for:</p><ul>{{#waits}}<li>{{.}}</li>{{/waits}}</ul>{{/hasWaits}}
      </section>
      {{/clients}}
      {{#pages}}<nav class="pages" aria-label="Pages of the portfolio"><p>{{#previous}}<a href="{{.}}" rel="prev">Previous</a>{{/previous}}{{#previous}}{{#next}} · {{/next}}{{/previous}}{{#next}}<a href="{{.}}" rel="next">Next</a>{{/next}}</p></nav>{{/pages}}

      """,

    // A date (`PageViews.DueView`), marked when it has passed.
    "due": """
      <span class="due{{#overdue}} overdue{{/overdue}}" title="{{date}}">{{text}}</span>
      """,

    // The items of one person's agenda (`PageViews.AgendaGroup`), overdue first.
    "agenda-items": """
      <ul class="items">
      {{#items}}
      <li><div class="line"><a href="{{href}}">{{clientName}}</a>: {{text}}</div>
      <div class="meta">{{#when}}{{> due}}{{/when}}</div></li>
      {{/items}}
      </ul>

      """,

  ]
}
