package render

// fileKinds are the generated files that are not pages, in the order Paths
// lists them. Each is defined in a file of its own.
var fileKinds = []fileKind{feedKind, sitemapKind, robotsKind, graphKind, graphSchemaKind, searchFiles, claimsFilterFiles}
