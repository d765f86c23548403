extension PageTemplates {
  /// The benchmark page and the client page's history, written for reading: charts each
  /// followed by a table of the same figures, and events as sentences. Registered with the
  /// other templates (`library`).
  ///
  /// A chart's `{{{svg}}}` is the one other triple brace: SVG that `BarChart` wrote, every
  /// label in it escaped there, as the client report's charts are. Everything else here is
  /// escaped by Mustache.
  static let reading: [String: String] = [
    "benchmark": """
      <div class="readable">
      <p class="meta"><a href="{{clientHref}}">{{clientName}}</a></p>
      <h1>Benchmark and opportunity</h1>
      {{#hasOpen}}
      <section class="card">
      <h2>Open on the web</h2>
      <ul>{{#open}}<li>{{.}}</li>{{/open}}</ul>
      <p class="quiet">Only the number of answers is shown until a round is closed.</p>
      </section>
      {{/hasOpen}}
      <section class="card benchmark">
      <h2>Collaboration benchmark</h2>
      {{#benchmarkNote}}<p class="quiet">{{.}}</p>{{/benchmarkNote}}
      {{#benchmark}}
      <p>{{round}}</p>
      {{#headline}}<p class="headline">{{.}}</p>{{/headline}}
      {{#nothingShown}}<p>{{.}}</p>{{/nothingShown}}
      {{#sections}}
      <h3>{{heading}}</h3>
      {{#explanation}}<p class="quiet">{{.}}</p>{{/explanation}}
      {{#charts}}
      <figure class="chart">
      {{{svg}}}
      {{#table}}{{> figures}}{{/table}}
      </figure>
      {{/charts}}
      {{/sections}}
      {{#hasFindings}}
      <h3>Bottlenecks and low-hanging fruit</h3>
      <ul>{{#findings}}<li>{{.}}</li>{{/findings}}</ul>
      {{/hasFindings}}
      <p class="quiet">{{anonymity}}</p>
      {{/benchmark}}
      </section>
      <section class="card">
      <h2>The opportunity</h2>
      {{#opportunityNote}}<p class="quiet">{{.}}</p>{{/opportunityNote}}
      {{#opportunity}}
      <p class="quiet">{{setBy}}</p>
      {{#table}}{{> figures}}{{/table}}
      {{#conclusions}}<p>{{.}}</p>{{/conclusions}}
      {{/opportunity}}
      </section>
      </div>

      """,

    // A table of figures (`PageViews.TableView`), in a box that scrolls on its own if it must,
    // never the page.
    "figures": """
      <div class="figures">
      <table>
      <caption>{{caption}}</caption>
      <thead><tr>{{#header}}<th scope="col">{{.}}</th>{{/header}}</tr></thead>
      <tbody>
      {{#rows}}<tr><th scope="row">{{head}}</th>{{#cells}}<td>{{.}}</td>{{/cells}}</tr>
      {{/rows}}
      </tbody>
      </table>
      </div>

      """,

    // The client page's history (`PageViews.history`), newest first.
    "history": """
      <section class="card readable">
      <h2>History</h2>
      <p class="quiet">Newest first.</p>
      <ol class="history">
      {{#history}}
      <li>
      <p class="event">{{#sentence}}{{#named}}<span class="named" title="{{title}}">{{text}}</span>{{/named}}{{#hash}}<code title="{{title}}">{{text}}</code>{{/hash}}{{^named}}{{^hash}}{{text}}{{/hash}}{{/named}}{{/sentence}}.</p>
      <p class="quiet"><time datetime="{{at}}">{{when}}</time>{{#how}} · {{.}}{{/how}}</p>
      {{#note}}<p class="note">{{.}}</p>{{/note}}
      </li>
      {{/history}}
      </ol>
      </section>

      """,
  ]
}
