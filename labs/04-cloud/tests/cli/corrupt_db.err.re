is not a cloud database \(not SQLite, or damaged\): move it away or choose another with --db$
