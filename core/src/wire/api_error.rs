//! The errors the server's API answers with, each with a stable code and a message.

use serde::{Deserialize, Serialize};

labeled_enum!(
    /// Why an API call failed, as the server says it; the phone shows the label.
    ApiErrorCode {
        BadCredentials = "bad_credentials" => ("用户名或密码不正确", "Wrong user name or password"),
        Unauthorized = "unauthorized" => ("登录已失效，请重新登录", "Your session has ended; please sign in again"),
        ProofStale = "proof_stale" => ("手机时间与服务器相差太大，请检查手机时间后重试", "The phone's clock is too far from the server's; check it and try again"),
        Forbidden = "forbidden" => ("您无权查看该档案", "You may not open this file"),
        NotAllowed = "not_allowed" => ("您的账号无权进行此操作", "Your account may not do this"),
        DeviceRevoked = "device_revoked" => ("此设备已被管理员停用，手机上的数据将被清除", "This device was revoked by an administrator; its data will be erased"),
        NotFound = "not_found" => ("找不到该内容", "Not found"),
        BadRequest = "bad_request" => ("请求格式有误", "The request was malformed"),
        BadSearch = "bad_search" => ("请输入 1–50 个字的搜索内容", "Type 1–50 characters to search for"),
        TooLarge = "too_large" => ("一次上传的内容过多", "Too much data in one upload"),
        TooManyAttempts = "too_many_attempts" => ("登录失败次数过多，请稍后再试", "Too many failed sign-ins; please try again later"),
        Busy = "busy" => ("服务器繁忙，请稍后再试", "The server is busy; please try again later"),
        Internal = "internal" => ("服务器出错，请稍后再试", "Server error; please try again later"),
    }
);

/// The body of every error response.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ApiError {
    pub code: ApiErrorCode,
    pub message: String,
}
