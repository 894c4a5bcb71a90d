//! Integration tests: the `mergemark` binary on temporary trees and real Git repositories.
