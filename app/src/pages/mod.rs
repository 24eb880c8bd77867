//! One file per page.

pub mod article;
pub mod forgot_password;
pub mod home;
pub mod login;
pub mod moderation;
pub mod not_found;
pub mod notifications;
pub mod permalink;
pub mod profile;
#[cfg(feature = "ssr")]
pub mod reader_parts;
pub mod reset_password;
pub mod search;
pub mod settings;
pub mod signup;
pub mod tag;
pub mod unsubscribe;
pub mod verify_email;
