import Mustache

// The views of the lists (the portfolio, "my work" and their agendas), which hold a row for
// every client, answer the templates' names themselves: Mustache otherwise reflects the
// value (`Mirror`) for every name it looks up, which was three quarters of the time the
// portfolio of 10,000 clients took. Each answers exactly what `Mirror` gives of it, a nil
// optional as nothing (ListingProjectionTests holds them to it, stored property by stored
// property); a name it does not hold is nil, and Mustache looks further up, as before.

extension PageViews.PortfolioView: MustacheParent {
  func child(named key: String) -> Any? {
    switch key {
    case "agenda": agenda
    case "clients": clients
    case "pages": pages
    default: nil
    }
  }
}

extension PageViews.MyWorkView: MustacheParent {
  func child(named key: String) -> Any? {
    switch key {
    case "agenda": agenda
    case "clients": clients
    default: nil
    }
  }
}

extension PageViews.PortfolioRow: MustacheParent {
  func child(named key: String) -> Any? {
    switch key {
    case "name": name
    case "href": href
    case "stage": stage
    case "progress": progress
    case "waits": waits
    case "hasWaits": hasWaits
    case "sustaining": sustaining
    case "overdue": overdue
    case "nextDue": nextDue
    case "nextDueDate": nextDueDate
    default: nil
    }
  }
}

extension PageViews.ClientWork: MustacheParent {
  func child(named key: String) -> Any? {
    switch key {
    case "name": name
    case "href": href
    case "stage": stage
    case "progress": progress
    case "complete": complete
    case "owe": owe
    case "waiting": waiting
    case "hasWaiting": hasWaiting
    default: nil
    }
  }
}

extension PageViews.Item: MustacheParent {
  func child(named key: String) -> Any? {
    switch key {
    case "text": text
    case "href": href
    case "due": due
    default: nil
    }
  }
}

extension PageViews.AgendaView: MustacheParent {
  func child(named key: String) -> Any? {
    switch key {
    case "asOf": asOf
    case "until": until
    case "groups": groups
    case "isEmpty": isEmpty
    default: nil
    }
  }
}

extension PageViews.AgendaGroup: MustacheParent {
  func child(named key: String) -> Any? {
    switch key {
    case "person": person
    case "items": items
    case "more": more
    default: nil
    }
  }
}

extension PageViews.AgendaItem: MustacheParent {
  func child(named key: String) -> Any? {
    switch key {
    case "clientName": clientName
    case "href": href
    case "text": text
    case "when": when
    default: nil
    }
  }
}
