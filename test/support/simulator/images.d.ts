export { ImageInfo, imageInfo, sniffImage } from './index';
