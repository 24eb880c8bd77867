//! An article page's hydration data carries its comments without their
//! bodies, which the page holds once already as HTML (see `crate::in_page`).

use super::{Comment, CommentPage};
use crate::in_page::{html_of, BodiesInPage};

fn without_body(c: &Comment) -> Comment {
    Comment {
        id: c.id,
        parent_id: c.parent_id,
        thread_id: c.thread_id,
        depth: c.depth,
        author: c.author.clone(),
        reply_to: c.reply_to.clone(),
        body_html: String::new(),
        created: c.created.clone(),
        created_unix: c.created_unix,
        edited: c.edited,
        likes: c.likes,
        status: c.status,
        liked: c.liked,
        replies: c.replies.iter().map(without_body).collect(),
        more_replies: c.more_replies,
        source: c.source.clone(),
    }
}

fn body_from_page(comment: &mut Comment) {
    if comment.body_html.is_empty() {
        comment.body_html = html_of(&format!("#comment-{} > .comment__body", comment.id));
    }
    for reply in &mut comment.replies {
        body_from_page(reply);
    }
}

impl BodiesInPage for CommentPage {
    fn without_bodies(&self) -> CommentPage {
        CommentPage {
            threads: self.threads.iter().map(without_body).collect(),
            next_cursor: self.next_cursor.clone(),
            sort: self.sort,
            total: self.total,
            now: self.now,
            thread: self.thread,
        }
    }

    fn bodies_from_page(&mut self) {
        self.threads.iter_mut().for_each(body_from_page);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{articles::Stamp, comments::CommentStatus, errors::AppError, in_page::InPage};
    use leptos::server::codee::{Decoder, Encoder};

    fn comment(id: i64, body: &str, replies: Vec<Comment>) -> Comment {
        Comment {
            id,
            parent_id: None,
            thread_id: id,
            depth: 1,
            author: Some("mina".into()),
            reply_to: None,
            body_html: body.into(),
            created: Stamp { iso: "2026-11-26T10:00:00Z".into(), display: "November 26, 2026".into() },
            created_unix: 1_795_000_000,
            edited: false,
            likes: 2,
            status: CommentStatus::Visible,
            liked: true,
            replies,
            more_replies: 0,
            source: Some("mine, in *Markdown*".into()),
        }
    }

    #[test]
    fn the_hydration_data_carries_every_comment_but_no_body() {
        let page = CommentPage {
            threads: vec![comment(1, "<p>first words</p>", vec![comment(2, "<p>a reply</p>", vec![])])],
            total: 2,
            ..Default::default()
        };
        let encoded = InPage::encode(&Ok(page.clone())).unwrap();
        assert!(!encoded.contains("first words") && !encoded.contains("a reply"), "{encoded}");
        let decoded: Result<CommentPage, AppError> = InPage::decode(&encoded).unwrap();
        let mut expected = page;
        expected.threads[0].body_html.clear();
        expected.threads[0].replies[0].body_html.clear();
        assert_eq!(decoded, Ok(expected), "all but the bodies, the source for the edit box included");
    }
}
